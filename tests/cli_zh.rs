//! The command line in Chinese (`--lang zh`, or a Chinese locale): every
//! reading and writing command on a small lot, whose human output (stdout and
//! the error line) must hold no English word of the catalogues, while what
//! people typed stays as typed; and `--json`/`--csv`, which stay English and
//! byte-identical whatever the language (times apart).

use std::collections::BTreeSet;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;
use trucklot::i18n::{CliMsg, Lang, Msg};

struct Lot {
    dir: TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Lot {
    /// A new database, with Chinese gate names (typed data) in its config.
    fn new() -> Lot {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("lot.db");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            "[site]\ngates = [\"东卡口\", \"西卡口\"]\ngate = \"东卡口\"\n",
        )
        .unwrap();
        let lot = Lot { dir, db, config };
        lot.run(Lang::En, &["init"]);
        lot
    }

    /// The binary, isolated from the user's environment (locale C), with
    /// Chinese operator and terminal names (typed data).
    fn cmd(&self, lang: Option<Lang>, args: &[&str]) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"));
        let home = self.dir.path();
        c.env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TRUCKLOT_OPERATOR", "王五")
            .env("TRUCKLOT_TERMINAL", "一号岗")
            .env("LANG", "C")
            .arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config);
        if let Some(l) = lang {
            c.arg("--lang").arg(l.to_string());
        }
        c.args(args);
        c
    }

    /// Runs; returns (exit code, stdout, stderr).
    fn output(&self, lang: Lang, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd(Some(lang), args).output().expect("run");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).expect("utf-8 stdout"),
            String::from_utf8(out.stderr).expect("utf-8 stderr"),
        )
    }

    /// Runs and expects success; returns stdout.
    fn run(&self, lang: Lang, args: &[&str]) -> String {
        let (code, out, err) = self.output(lang, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    }
}

/// The English words of the catalogues (the command line's and the
/// interface's, which holds the domain's words): what must not show in
/// Chinese output. Words of three letters or more, lower case.
fn english_words() -> BTreeSet<String> {
    let texts = CliMsg::ALL
        .iter()
        .map(|m| m.text(Lang::En))
        .chain(Msg::ALL.iter().map(|m| m.text(Lang::En)));
    let mut words = BTreeSet::new();
    for t in texts {
        for w in t.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 3 {
                words.insert(w.to_ascii_lowercase());
            }
        }
    }
    // The program's name is not a word of either language.
    words.remove("trucklot");
    words
}

/// The catalogue's English words in `text`, apart from what is not prose but
/// what people type: the `trucklot: ` prefix of the error line, the commands
/// the output proposes (`trucklot isolate … --reason …`), option names,
/// clap's `<VALUE>` names, quoted input and config keys ('…'), the accepted
/// values a usage
/// error lists (`应为 antigen 或 pcr`).
fn english_in(text: &str, words: &BTreeSet<String>) -> Vec<String> {
    fn cut(line: &mut String, open: &str, close: &[char]) {
        while let Some(i) = line.find(open) {
            let from = i + open.len();
            let end = line[from..]
                .char_indices()
                .find(|(_, c)| close.contains(c))
                .map_or(line.len(), |(j, c)| from + j + c.len_utf8());
            line.replace_range(i..end, " ");
        }
    }
    let mut found = Vec::new();
    for line in text.lines() {
        let mut line = line.strip_prefix("trucklot: ").unwrap_or(line).to_string();
        cut(&mut line, "trucklot ", &['）', ')']);
        cut(&mut line, "'", &['\'']);
        cut(&mut line, "<", &['>']);
        cut(&mut line, "应为", &['）']);
        cut(&mut line, "可选", &['）']);
        // File paths are what people typed.
        cut(&mut line, "/", &[' ']);
        for token in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
            if token.starts_with("--") {
                continue;
            }
            for w in token.split(|c: char| !c.is_ascii_alphabetic()) {
                if words.contains(&w.to_ascii_lowercase()) {
                    found.push(format!("{w:?} in {line:?}"));
                }
            }
        }
    }
    found
}

#[test]
fn every_command_speaks_chinese_and_keeps_what_people_typed() {
    let lot = Lot::new();
    let words = english_words();
    for w in [
        "arrived",
        "isolation",
        "pending",
        "fever",
        "overdue",
        "stay",
    ] {
        assert!(words.contains(w), "the word list lacks {w}");
    }
    let zh = Lang::Zh;
    let mut human = Vec::new();
    let mut run = |args: &[&str], expect: i32| -> String {
        let (code, out, err) = lot.output(zh, args);
        assert_eq!(code, expect, "{args:?}: {out}{err}");
        human.push((args.join(" "), format!("{out}{err}")));
        format!("{out}{err}")
    };
    let arrived = run(
        &[
            "arrive",
            "晋D12345",
            "--temp",
            "38.2",
            "--code",
            "green",
            "--driver",
            "张三",
            "--origin",
            "太原",
            "--destination",
            "长治",
        ],
        0,
    );
    assert!(arrived.contains("晋D12345 已入场"), "{arrived}");
    assert!(arrived.contains("隔离区"), "{arrived}");
    assert!(arrived.contains("发热"), "{arrived}");
    assert!(arrived.contains("张三"), "typed names stay: {arrived}");
    run(
        &[
            "arrive",
            "晋A11111",
            "--temp",
            "36.5",
            "--code",
            "yellow",
            "--travel",
            "--passenger",
            "李四,,37.9,green",
        ],
        0,
    );
    run(
        &[
            "arrive",
            "晋B22222",
            "--temp",
            "36.5",
            "--code",
            "green",
            "--cargo",
            "emergency",
        ],
        0,
    );
    run(&["sample", "晋B22222", "antigen", "--id", "抗-1"], 0);
    run(
        &[
            "sample",
            "晋D12345",
            "pcr",
            "--id",
            "核-1",
            "--batch",
            "一批",
        ],
        0,
    );
    let result = run(&["result", "晋B22222", "antigen", "positive"], 0);
    assert!(result.contains("抗原阳性"), "{result}");
    assert!(result.contains("建议"), "a proposal: {result}");
    run(&["isolate", "晋B22222", "--reason", "抗原阳性，待复核"], 0);
    run(
        &[
            "recheck",
            "晋A11111",
            "--person",
            "1",
            "--temp",
            "38.5",
            "--code",
            "red",
        ],
        0,
    );
    run(&["service", "晋B22222", "meal"], 0);
    run(&["service", "晋B22222", "water"], 0);
    run(&["service", "晋B22222", "done", "--kind", "meal"], 0);
    run(&["escalate", "晋B22222", "--note", "已报疾控"], 0);
    run(&["disinfect", "parking"], 0);
    run(&["disinfect", "I-05"], 0);
    run(&["close", "P-01-01", "--reason", "路面破损"], 0);
    run(&["open", "P-01-01"], 0);
    let show = run(&["show", "晋D12345"], 0);
    assert!(show.contains("停留编号 1"), "{show}");
    assert!(show.contains("隔离中"), "{show}");
    assert!(show.contains("核酸"), "{show}");
    assert!(show.contains("待结果"), "{show}");
    assert!(show.contains("太原 → 长治"), "{show}");
    assert!(
        show.contains("发热: 司机 张三"),
        "the checks' reason is the program's, so Chinese: {show}"
    );
    run(&["show", "晋A11111"], 0);
    run(&["show", "晋B22222"], 0);
    run(&["show", "I-01"], 0);
    run(&["show", "P-01-02"], 0);
    let log = run(&["log"], 0);
    assert!(
        log.contains("抗原阳性，待复核"),
        "typed reasons stay: {log}"
    );
    run(&["log", "--plate", "晋D12345"], 0);
    let status = run(&["status"], 0);
    assert!(
        status.contains("停车区") && status.contains("合计"),
        "{status}"
    );
    let clocks = run(&["clocks"], 0);
    assert!(clocks.contains("后"), "durations in Chinese: {clocks}");
    run(&["clocks", "--overdue"], 0);
    let board = run(&["isolation"], 0);
    assert!(board.contains("下一步"), "{board}");
    assert!(board.contains("隔离车位已用"), "{board}");
    let check = run(&["check"], 0);
    assert!(check.starts_with("正常："), "{check}");
    run(&["rebuild"], 0);
    // The escort out, through a handoff bay, and its confirmation.
    run(
        &[
            "handoff",
            "晋B22222",
            "start",
            "--mode",
            "escort",
            "--escort",
            "交警三中队",
            "--by",
            "赵队",
        ],
        0,
    );
    run(&["handoff", "晋B22222", "done"], 0);
    run(&["depart", "晋B22222"], 0);
    run(&["handoff", "晋B22222", "confirm"], 0);
    let released = run(
        &[
            "release",
            "晋A11111",
            "--reason",
            "复核阴性",
            "--by",
            "钱医生",
        ],
        0,
    );
    assert!(released.contains("钱医生"), "{released}");
    // Refusals (exit 1) and usage errors (exit 2), on the error line.
    let refused = run(&["depart", "晋D12345"], 1);
    assert!(refused.contains("不能离场"), "{refused}");
    run(&["move", "晋D12345", "P-01-03"], 1);
    // The zones a bay should have been in, in words, not as keys.
    let wrong = run(
        &[
            "release",
            "晋D12345",
            "--reason",
            "退烧",
            "--by",
            "钱医生",
            "--bay",
            "I-05",
        ],
        1,
    );
    assert!(
        wrong.contains("车位 I-05 不在停车区或生活区或工作区"),
        "{wrong}"
    );
    run(&["show", "晋Z99999"], 1);
    run(&["show", "W-99"], 1);
    run(&["sample", "晋D12345", "pcr"], 1);
    run(
        &["arrive", "晋D12345", "--temp", "36.5", "--code", "green"],
        1,
    );
    let usage = run(
        &["arrive", "晋C33333", "--temp", "50", "--code", "green"],
        2,
    );
    assert!(usage.contains("超出 34.0–42.0 °C"), "{usage}");
    run(
        &["arrive", "晋C33333", "--temp", "hot", "--code", "green"],
        2,
    );
    run(&["arrive", "晋D1", "--temp", "36.5", "--code", "green"], 2);
    run(
        &[
            "arrive",
            "晋C33333",
            "--temp",
            "36.5",
            "--code",
            "green",
            "--gate",
            "北",
        ],
        2,
    );
    run(
        &[
            "arrive",
            "晋C33333",
            "--temp",
            "36.5",
            "--code",
            "green",
            "--passenger",
            "甲,36.5",
        ],
        2,
    );
    run(&["service", "晋D12345", "meal", "--kind", "water"], 2);
    run(&["log", "--since", "昨天"], 2);
    // A results file: one row applied, one refused by the rules, one malformed.
    let file = lot.dir.path().join("results.csv");
    std::fs::write(
        &file,
        "sample,test,result,time\n核-1,pcr,negative,2026-11-25 10:00\n无此管,antigen,negative,2026-11-25 10:00\n晋D12345,血检,negative,2026-11-25 10:00\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let import = run(&["results", "import", file, "--dry-run"], 1);
    assert!(import.contains("第 2 行"), "{import}");
    assert!(import.contains("没有试管号为 无此管 的样本"), "{import}");
    run(&["results", "import", file, "--partial"], 1);
    let backup = lot.dir.path().join("backup.db");
    run(&["backup", backup.to_str().unwrap()], 0);
    // Undo and purge: what they name, ask and refuse.
    run(
        &["arrive", "晋K77777", "--temp", "36.5", "--code", "green"],
        0,
    );
    let asked = run(&["undo"], 2);
    assert!(
        asked.contains("撤销您的最后一次操作") && asked.contains("--yes"),
        "{asked}"
    );
    let undone = run(&["undo", "--yes"], 0);
    assert!(
        undone.contains("已撤销") && undone.contains("晋K77777"),
        "{undone}"
    );
    run(&["isolate", "晋A11111", "--reason", "复测发热"], 0);
    let refused = run(&["undo", "--yes"], 1);
    assert!(refused.contains("不能撤销"), "{refused}");
    run(&["purge", "--before", "2030-01-01", "--yes"], 2);
    run(&["purge", "--before", "2020-01-01", "--yes"], 1);
    run(&["purge", "--yes"], 1);

    let mut bad = Vec::new();
    for (args, text) in &human {
        for w in english_in(text, &words) {
            bad.push(format!("{args}: {w}"));
        }
    }
    assert!(
        bad.is_empty(),
        "English in the Chinese output:\n{}",
        bad.join("\n")
    );
}

#[test]
fn init_and_demo_speak_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let words = english_words();
    let run = |args: &[&str]| -> String {
        let out = Command::new(assert_cmd::cargo::cargo_bin!("trucklot"))
            .env_clear()
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("TRUCKLOT_OPERATOR", "王五")
            .env("LC_ALL", "zh_CN.UTF-8")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
    };
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    // The locale alone chooses Chinese.
    let init = run(&["--db", db, "init"]);
    assert!(init.starts_with("已创建"), "{init}");
    // The layout's name is data, as typed in the layout file.
    let init = init.replace("Tunliu checkpoint lot", "");
    assert_eq!(english_in(&init, &words), Vec::<String>::new(), "{init}");
    let again = run(&["--db", db, "init"]);
    assert!(again.contains("已存在"), "{again}");
    let missing = run(&["--db", "/nonexistent/x.db", "status"]);
    assert!(missing.contains("不存在"), "{missing}");
    let demo_db = dir.path().join("demo.db");
    let demo = run(&["--db", demo_db.to_str().unwrap(), "demo", "--trucks", "40"]);
    assert!(demo.starts_with("演示："), "{demo}");
    assert_eq!(english_in(&demo, &words), Vec::<String>::new(), "{demo}");
    let season = dir.path().join("season.db");
    let season = season.to_str().unwrap();
    let sim = run(&[
        "--db",
        season,
        "simulate",
        "--days",
        "1",
        "--trucks-per-day",
        "50",
    ]);
    assert!(sim.starts_with("已模拟 1 天："), "{sim}");
    assert_eq!(english_in(&sim, &words), Vec::<String>::new(), "{sim}");
    for refused in [
        run(&["--db", season, "simulate", "--days", "1"]),
        run(&["--db", "/tmp/never.db", "simulate", "--days", "0"]),
        run(&[
            "--db",
            "/tmp/never.db",
            "simulate",
            "--days",
            "1",
            "--start",
            "2099-01-01",
        ]),
    ] {
        assert!(refused.starts_with("trucklot: "), "{refused}");
        let text = refused
            .replace("trucklot", "")
            .replace("--days", "")
            .replace("--start", "");
        assert_eq!(english_in(&text, &words), Vec::<String>::new(), "{refused}");
    }
    // --lang wins over the locale.
    let en = run(&["--db", db, "status", "--lang", "en"]);
    assert!(en.contains("ZONE"), "{en}");
}

/// Times (RFC 3339 strings) and minute counts taken against the clock are
/// masked: two runs a moment apart differ in nothing else.
fn masked(v: &mut Value) {
    match v {
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => {
            *s = "<time>".into();
        }
        Value::Array(a) => a.iter_mut().for_each(masked),
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if matches!(k.as_str(), "minutes" | "remaining_min") {
                    *x = Value::Null;
                } else {
                    masked(x);
                }
            }
        }
        _ => {}
    }
}

/// The values the program produces (statuses, zones, codes, tests, …)
/// are its English keys in JSON; only typed data may be Chinese.
fn program_words_are_english(v: &Value, what: &[&str]) {
    const PROGRAM: [&str; 14] = [
        "status", "zone", "code", "cargo", "test", "result", "service", "kind", "next", "label",
        "mode", "flags", "pending", "overdue",
    ];
    match v {
        Value::Array(a) => a.iter().for_each(|x| program_words_are_english(x, what)),
        Value::Object(m) => {
            for (k, x) in m {
                if PROGRAM.contains(&k.as_str()) && !x.is_object() {
                    let text = x.to_string();
                    assert!(text.is_ascii(), "{what:?}: {k} = {text}");
                } else {
                    program_words_are_english(x, what);
                }
            }
        }
        _ => {}
    }
}

fn masked_csv(s: &str) -> String {
    s.split("\r\n")
        .map(|line| {
            line.split(',')
                .map(|c| {
                    if chrono::DateTime::parse_from_rfc3339(c).is_ok() || c.parse::<i64>().is_ok() {
                        "<n>"
                    } else {
                        c
                    }
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[test]
fn json_and_csv_are_the_same_in_every_language() {
    // The same lot built twice, once in each language: the writes' JSON too.
    let lots = [(Lang::En, Lot::new()), (Lang::Zh, Lot::new())];
    let writes: &[&[&str]] = &[
        &[
            "arrive",
            "晋D12345",
            "--temp",
            "38.2",
            "--code",
            "green",
            "--driver",
            "张三",
            "--json",
        ],
        &[
            "arrive",
            "晋A11111",
            "--temp",
            "36.5",
            "--code",
            "yellow",
            "--travel",
            "--json",
        ],
        &[
            "arrive",
            "晋B22222",
            "--temp",
            "36.5",
            "--code",
            "green",
            "--json",
        ],
    ];
    for w in writes {
        let outs: Vec<Value> = lots
            .iter()
            .map(|(lang, lot)| serde_json::from_str(&lot.run(*lang, w)).unwrap())
            .collect();
        assert_eq!(outs[0], outs[1], "{w:?}");
        assert!(outs[0]["zone"].as_str().is_some_and(str::is_ascii), "{w:?}");
    }
    for (lang, lot) in &lots {
        lot.run(*lang, &["sample", "晋B22222", "antigen", "--id", "T-1"]);
        lot.run(*lang, &["sample", "晋D12345", "pcr", "--id", "T-2"]);
        lot.run(*lang, &["result", "晋B22222", "antigen", "positive"]);
        lot.run(*lang, &["isolate", "晋B22222", "--reason", "阳性"]);
        lot.run(*lang, &["service", "晋B22222", "meal"]);
    }
    let reads: &[&[&str]] = &[
        &["status", "--json"],
        &["show", "晋D12345", "--json"],
        &["show", "晋B22222", "--json"],
        &["show", "I-01", "--json"],
        &["log", "--json"],
        &["isolation", "--json"],
        &["clocks", "--json"],
    ];
    for (_, lot) in &lots {
        for r in reads {
            let mut en: Value = serde_json::from_str(&lot.run(Lang::En, r)).unwrap();
            let mut zh: Value = serde_json::from_str(&lot.run(Lang::Zh, r)).unwrap();
            masked(&mut en);
            masked(&mut zh);
            assert_eq!(en, zh, "{r:?}");
            program_words_are_english(&zh, r);
        }
    }
    // Between the two lots, only times and generated ids' times differ.
    for r in reads {
        let mut a: Value = serde_json::from_str(&lots[0].1.run(Lang::En, r)).unwrap();
        let mut b: Value = serde_json::from_str(&lots[1].1.run(Lang::Zh, r)).unwrap();
        masked(&mut a);
        masked(&mut b);
        assert_eq!(
            a, b,
            "{r:?} differs between a lot run in English and one in Chinese"
        );
    }
    let csvs: &[&[&str]] = &[
        &["log", "--csv"],
        &["isolation", "--csv"],
        &["clocks", "--csv"],
    ];
    for c in csvs {
        let (_, lot) = &lots[1];
        let en = lot.run(Lang::En, c);
        let zh = lot.run(Lang::Zh, c);
        assert_eq!(masked_csv(&en), masked_csv(&zh), "{c:?}");
        let header = zh.lines().next().unwrap();
        assert!(header.is_ascii(), "{c:?}: {header}");
    }
}

/// clap's commonest errors are said in the user's language too (found by a
/// new user's try: "the following required arguments were not provided"
/// on a Chinese command line), with its suggestion.
#[test]
fn a_missing_argument_or_a_mistyped_option_is_said_in_chinese() {
    let lot = Lot::new();
    for (lang, args, said) in [
        (
            Lang::Zh,
            &["arrive", "晋D12345", "--temp", "36.5"][..],
            "缺少必填参数 --code <CODE>（见 --help）",
        ),
        (
            Lang::Zh,
            &["arrive", "晋D12345", "--temp", "36.5", "--cod", "g"][..],
            "无法识别的参数 '--cod'；是否为 --code？（见 --help）",
        ),
        (Lang::Zh, &["arive"][..], "未知命令 'arive'；是否为"),
        (
            Lang::En,
            &["arive"][..],
            "unknown command 'arive'; did you mean",
        ),
    ] {
        let (code, _, err) = lot.output(lang, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(said), "{args:?}: {err}");
    }
}
