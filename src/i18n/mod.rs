//! The string catalogue: every user-facing text, in English and Chinese.
//! The interface's messages are `Msg` variants (here); the command line's
//! are `CliMsg` (`cli`). `text(lang)` picks the language. The macro makes a
//! missing translation a compile error, and a test refuses empty ones.
//!
//! Plates, names and bay ids are data and never pass through here.

use std::fmt;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG` (the first one set): `zh*` is Chinese.
    pub fn from_env() -> Lang {
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        Lang::from_locale(&var)
    }

    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "cn" | "chinese" | "中文" => Ok(Lang::Zh),
            _ => Err(format!("'{s}' is not a language (expected en or zh)")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        })
    }
}

pub mod cli;
pub mod plate;
pub mod refusal;
pub mod store_error;
pub mod words;

pub use cli::CliMsg;

/// Declares a message enum `$enum` whose every variant has an English and a
/// Chinese text.
macro_rules! catalogue {
    ($(#[$m:meta])* $enum:ident { $($name:ident => ($en:expr, $zh:expr)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $enum { $($name),+ }

        impl $enum {
            pub const ALL: &'static [$enum] = &[$($enum::$name),+];

            pub fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                use $crate::i18n::Lang;
                match (self, lang) {
                    $(($enum::$name, Lang::En) => $en, ($enum::$name, Lang::Zh) => $zh,)+
                }
            }
        }
    };
}
pub(crate) use catalogue;

catalogue! {
    /// A message of the terminal interface.
    Msg {
    AppName => ("trucklot", "trucklot 卡口停车场"),
    ModeMap => ("Map", "地图"),
    ModeForm => ("Arrival form", "入场登记"),
    ModePickBay => ("Pick a bay", "选择车位"),
    ModeSearch => ("Search", "查找"),
    ModeConfirm => ("Confirm", "确认"),
    ModePrompt => ("A typed answer (a reason, a note, a name, a time)", "输入（原因、备注、姓名、时间）"),
    ModeMenu => ("Choose", "选择"),
    ModeHelp => ("Help", "帮助"),
    ModeClocks => ("Clocks", "计时"),
    ModeIsolation => ("Isolation board", "隔离看板"),
    ModeFormCode => ("Arrival form: a health code", "入场登记：健康码"),
    ModeFormFlag => ("Arrival form: a yes/no field", "入场登记：是/否项"),
    ModeFormCargo => ("Arrival form: cargo", "入场登记：货物"),
    ModeFormGate => ("Arrival form: gate", "入场登记：入口"),
    ModeFormBay => ("Arrival form: bay", "入场登记：车位"),
    KeyCodeGreen => ("green code", "绿码"),
    KeyCodeYellow => ("yellow code", "黄码"),
    KeyCodeRed => ("red code", "红码"),
    KeyChoiceNext => ("next choice", "下一个选项"),
    KeyChoicePrev => ("previous choice", "上一个选项"),
    KeyYes => ("yes", "是"),
    KeyNo => ("no", "否"),
    KeyToggle => ("switch yes/no", "切换是/否"),
    KeyCargoEmergency => ("emergency cargo", "应急物资"),
    KeyCargoLiving => ("living supplies", "生活物资"),
    KeyCargoProduction => ("key production materials", "重点生产物资"),
    KeyCargoOther => ("other cargo", "其他货物"),
    KeyGateN => ("gate by its number", "按编号选入口"),
    KeyPickOnMap => ("pick a bay on the map", "在地图上选车位"),
    KeyChoose => ("the option with that letter", "选择该字母的选项"),
    KeyBackspace => ("delete the character before", "删除前一个字符"),
    KeyDelete => ("delete the character under", "删除当前字符"),
    KeyCursorLeft => ("cursor left", "光标左移"),
    KeyCursorRight => ("cursor right", "光标右移"),
    KeyCursorHome => ("start of the text", "到行首"),
    KeyCursorEnd => ("end of the text", "到行尾"),
    KeyDeleteWord => ("delete the word before", "删除前一个词"),
    NoPassengerToRemove => ("no passenger to remove", "没有可删除的乘客"),
    KeySpaceBar => ("Space", "空格"),
    KeyDeleteLine => ("delete the whole text", "清空整行"),
    NotAKeyHere => ("{key}: not a key here — {help} for help", "{key}：此处没有这个键 — 按 {help} 查看帮助"),
    DiscardFormTitle => ("Discard this arrival?", "放弃这次入场登记？"),
    DiscardFormYes => ("discard what was typed", "放弃已填内容"),
    DiscardFormNo => ("back to the form", "返回表单"),
    SearchDeparted => ("departed", "已离场"),
    SearchDepartedAt => ("{plate} left at {at}: not on site", "{plate} 已于 {at} 离场：不在场内"),
    LoopError => ("could not read the lot: {e} (see the log)", "无法读取车场：{e}（见日志）"),
    ServerUnreachable => (
        "⚠ lot server unreachable — retrying in {n} s · the map is the lot as last read · actions wait, what you typed stays",
        "⚠ 车场服务器无法连接——{n} 秒后重试 · 地图为最后读取的车场 · 操作暂停，已输入的内容保留"
    ),
    ReadOnlyLot => ("read only: {file} cannot be written here; the lot can be looked at, every action will be refused", "只读：{file} 在此不可写；可以查看车场，任何操作都会被拒绝"),
    KeyUp => ("bay above", "上一个车位"),
    KeyDown => ("bay below", "下一个车位"),
    KeyLeft => ("bay to the left", "左侧车位"),
    KeyRight => ("bay to the right", "右侧车位"),
    KeyRowStart => ("start of row", "行首"),
    KeyRowEnd => ("end of row", "行尾"),
    KeyNextZone => ("next zone", "下一区"),
    KeyPrevZone => ("previous zone", "上一区"),
    KeyZoneWork => ("work zone", "工作区"),
    KeyZoneLiving => ("living zone", "生活区"),
    KeyZoneParking => ("parking zone", "停车区"),
    KeyZoneIsolation => ("isolation zone", "隔离区"),
    KeyZoneHandoff => ("handoff zone", "点对点区"),
    KeyArrive => ("arrive", "入场"),
    KeySearch => ("find", "查找"),
    KeyMove => ("move", "挪车"),
    KeyDepart => ("depart", "离场"),
    KeySample => ("sample", "采样"),
    KeyResult => ("result", "结果"),
    KeyIsolate => ("isolate", "隔离"),
    KeyRelease => ("release", "解除隔离"),
    KeyEscalate => ("escalate", "上报"),
    KeyHandoff => ("handoff", "点对点"),
    KeyService => ("service", "服务"),
    KeyRecheck => ("recheck", "复测"),
    KeyCorrect => ("correct a typo", "更正登记"),
    KeyHandoffArrived => ("confirm handoff arrived", "确认交接送达"),
    KeyHandoffDone => ("mark handoff done", "标记交接完成"),
    KeyAddPerson => ("add person", "添加乘客"),
    KeyRemovePerson => ("remove last person", "删除最后一名乘客"),
    KeyDisinfect => ("disinfect", "消毒"),
    KeyCloseOpen => ("close/open bay", "关闭/开放车位"),
    KeyClocks => ("clocks", "计时"),
    KeyIsolationBoard => ("isolation", "隔离看板"),
    KeyRowUp => ("previous row", "上一行"),
    KeyRowDown => ("next row", "下一行"),
    KeyJump => ("go to bay", "转到车位"),
    KeySortNext => ("sort by next column", "按下一列排序"),
    KeySortReverse => ("reverse sort", "倒序"),
    KeySortSince => ("sort by time isolated (again: reverse)", "按隔离时间排序（再按倒序）"),
    KeySortPlate => ("sort by plate", "按车牌排序"),
    KeySortBay => ("sort by bay", "按车位排序"),
    KeySortReason => ("sort by reason", "按原因排序"),
    KeySortTests => ("sort by overdue tests", "按超时检测排序"),
    KeySortNextAction => ("sort by next action", "按下一步排序"),
    NextDue => ("next due", "下次应于"),
    ServedIn => ("served in", "用时"),
    KeyNextField => ("next field", "下一项"),
    KeyPrevField => ("previous field", "上一项"),
    KeyConfirm => ("confirm", "确认"),
    KeyContinue => ("continue", "继续"),
    KeyClose => ("close", "关闭"),
    KeyLookAgain => ("look again", "重新查找"),
    KeyHelp => ("help", "帮助"),
    KeyBack => ("back", "返回"),
    KeyQuit => ("quit", "退出"),
    KeyForceQuit => ("quit now", "立即退出"),
    ZoneWork => ("Work", "工作区"),
    ZoneLiving => ("Living", "生活区"),
    ZoneParking => ("Parking", "停车区"),
    ZoneIsolation => ("Isolation", "隔离区"),
    ZoneHandoff => ("Handoff", "点对点"),
    StateFree => ("free", "空闲"),
    StateClear => ("clear", "正常"),
    StatePending => ("pending", "待结果"),
    StateOverdue => ("overdue", "超时"),
    StatePositive => ("positive", "阳性"),
    StateIsolated => ("isolated", "隔离"),
    StateHandoff => ("handoff", "交接中"),
    StateClosed => ("closed", "关闭"),
    StateDisinfect => ("disinfection due", "待消毒"),
    StateOverridden => ("against the checks", "违检安置"),
    StateHolding => ("waiting for isolation", "等待隔离"),
    StateSuggested => ("suggested bay", "建议车位"),
    ShortSuggested => ("sugg", "建议"),
    ExitLabel => ("exit", "出口"),
    ShortOverridden => ("ovr", "违检"),
    ShortHolding => ("hold", "待隔"),
    ShortFree => ("free", "空闲"),
    ShortClear => ("ok", "正常"),
    ShortPending => ("wait", "待检"),
    ShortOverdue => ("late", "超时"),
    ShortPositive => ("pos", "阳性"),
    ShortIsolated => ("iso", "隔离"),
    ShortHandoff => ("hand", "交接"),
    ShortClosed => ("shut", "关闭"),
    ShortDisinfect => ("dis", "消毒"),
    StatusParked => ("on site", "在场"),
    StatusIsolated => ("in isolation", "隔离中"),
    StatusHolding => ("waiting for isolation", "等待隔离"),
    StatusHandoff => ("handoff in progress", "点对点交接中"),
    StatusHandoffDone => ("handoff done", "交接完成"),
    StatusDeparted => ("departed", "已离场"),
    CargoEmergency => ("emergency", "应急物资"),
    CargoLiving => ("living", "生活物资"),
    CargoProduction => ("production", "重点生产物资"),
    CargoOther => ("other", "其他"),
    ChoiceEmergency => ("emergency", "应急"),
    ChoiceLiving => ("living", "生活"),
    ChoiceProduction => ("production", "重点生产"),
    ChoiceOther => ("other", "其他"),
    CodeGreen => ("green", "绿码"),
    CodeYellow => ("yellow", "黄码"),
    CodeRed => ("red", "红码"),
    TestAntigen => ("antigen", "抗原"),
    TestPcr => ("PCR", "核酸"),
    ResultNegative => ("negative", "阴性"),
    ResultPositive => ("positive", "阳性"),
    ResultInvalid => ("invalid", "无效"),
    HandoffTransfer => ("cargo transfer", "货物转运"),
    HandoffEscort => ("escorted departure", "护送离开"),
    ServiceMeal => ("meal", "送餐"),
    ServiceWater => ("water", "送水"),
    ServiceMedical => ("medical", "医疗"),
    ServiceDoneOf => ("done: ", "完成："),
    ServiceDoneWhich => ("done: which call…", "完成：选择呼叫…"),
    MenuServiceDone => ("Which call is done?", "哪项服务已完成？"),
    ServiceOpen => ("open call:", "未完成呼叫:"),
    FlagFever => ("fever", "发热"),
    FlagYellow => ("yellow code", "黄码"),
    FlagRed => ("red code", "红码"),
    FlagTravel => ("travel history", "旅居史"),
    FlagPositiveBefore => ("positive at its last stay", "上次入场检测阳性"),
    // Before a test's name: a positive carried from the truck's last stay.
    OfLastStay => ("of its last stay", "上次入场"),
    Overdue => ("overdue", "超时"),
    NoneOverdue => ("nothing overdue", "无超时"),
    // A demo lot's badge: simulated traffic, time {n} times as fast.
    DemoBadge => ("DEMO ×{n}", "演示 ×{n}"),
    Bay => ("Bay", "车位"),
    ClosedBecause => ("closed", "已关闭"),
    LastDisinfected => ("zone last disinfected", "本区上次消毒"),
    Never => ("never", "从未"),
    ArrivedAt => ("in", "入场"),
    InBaySince => ("in bay since", "入位"),
    Code => ("code", "健康码"),
    Reason => ("reason", "原因"),
    Escalated => ("escalated", "已上报"),
    HandoffLabel => ("handoff", "点对点"),
    OverdueBy => ("overdue by", "超时"),
    PendingDue => ("pending, due", "待出结果，应于"),
    FormTitle => ("Arrival", "入场登记"),
    FieldPlate => ("Plate", "车牌"),
    FieldTemp => ("Temp °C", "体温 °C"),
    FieldCode => ("Health code", "健康码"),
    FieldCargo => ("Cargo", "货物"),
    FieldDriver => ("Driver", "司机"),
    FieldPhone => ("Phone", "电话"),
    FieldOrigin => ("From", "出发地"),
    FieldDestination => ("To", "目的地"),
    FieldTravel => ("Travel flag", "旅居史"),
    FieldHandoff => ("Needs handoff", "需点对点"),
    FieldBay => ("Bay", "车位"),
    FieldOverride => ("Override reason", "变更原因"),
    FieldVenue => ("Venue code", "场所码"),
    FieldGate => ("Gate", "卡口"),
    FieldPName => ("P{n} name", "乘客{n} 姓名"),
    FieldPPhone => ("P{n} phone", "乘客{n} 电话"),
    FieldPTemp => ("P{n} temp °C", "乘客{n} 体温"),
    FieldPCode => ("P{n} code", "乘客{n} 健康码"),
    VenueScanned => ("scanned", "已扫"),
    VenueNotScanned => ("not scanned", "未扫"),
    CabFull => ("the cab holds the driver and at most 3 passengers", "每车最多司机加3名乘客"),
    HoldingWait => ("isolation full: waits there on the holding list", "隔离区已满：在此等待隔离"),
    PersonDriver => ("driver", "司机"),
    PersonPassengerN => ("passenger", "乘客"),
    ChecksClean => ("checks clean", "检查正常"),
    ChecksMissing => ("missing", "尚缺"),
    CheckPlate => ("plate", "车牌"),
    CheckTemp => ("temperature", "体温"),
    CheckCode => ("health code", "健康码"),
    CheckVenue => ("venue code", "场所码"),
    ListSep => (", ", "、"),
    OverrideChecksSay => ("override, the checks say", "人工变更，检查结果为"),
    AgainstChecks => ("against the checks: give a reason", "与检查结果不符，需填写原因"),
    PickHint => ("Space: pick on map", "空格: 在地图上选"),
    NoFreeBay => ("no free bay in", "无空闲车位:"),
    PickFreeBay => ("pick a free bay", "请选择空闲车位"),
    HintPickArrival => ("Pick a bay for the arrival:", "为入场车辆选择车位:"),
    HintPickMove => ("Pick the new bay for", "选择新车位:"),
    AlreadyOnSiteIn => ("already on site, in", "已在场内，车位"),
    NotAnArrival => ("nothing to register (find it with /)", "无需登记（用 / 查找）"),
    MoreFields => ("more fields (Tab, ↑/↓)", "还有字段（Tab、↑/↓）"),
    AllSamplesPending => ("both samples are already waiting for results", "两种样本都在等结果"),
    NoSampleWaiting => ("no sample is waiting for a result: take one with s", "没有等结果的样本：按 s 采样"),
    NoTruckHere => ("no truck in this bay", "此车位无车"),
    BayOccupiedCannotClose => ("the bay is occupied: move the truck first", "车位有车，请先挪车"),
    ErrRequired => ("required", "必填"),
    ErrTooLong => ("too long (at most 200 characters)", "过长（最多200字）"),
    ErrControl => ("contains a control character", "含有控制字符"),
    ErrPlateProvince => ("{x} is not a province: start with one (e.g. 晋) or its pinyin", "{x} 不是省份简称：须以省份简称（如 晋）或其拼音开头"),
    ErrPlateLetter => ("second character must be a letter A–Z except I, not {x}", "第二位须为字母（不含I），不能是 {x}"),
    ErrPlateLength => ("wrong length: province, letter and 5 characters", "长度不对：省份+字母+5位"),
    ErrPlateCharacter => ("{x} is not allowed on plates", "车牌中不能有 {x}"),
    ErrPlateIO => ("{x} is not allowed (no I or O in the serial)", "不能有 {x}（序号不含I、O）"),
    ErrPlateSuffix => ("{x} is not a suffix (挂 学 警 港 澳 领)", "{x} 不是车牌后缀（挂 学 警 港 澳 领）"),
    ErrPlateNewEnergy => ("not a valid new-energy plate", "新能源车牌格式不对"),
    ErrPlateAmbiguous => ("the pinyin could be {x}: type the province character", "拼音可能是 {x}：请输入省份汉字"),
    ErrInvisibleChar => ("the invisible character {x}", "不可见字符 {x}"),
    ErrTempNumber => ("not a number (°C, e.g. 36.5)", "不是数字（°C，如 36.5）"),
    ErrTempRange => ("outside 34.0–42.0 °C: measure again", "超出 34.0–42.0 °C，请复测"),
    ErrTempNoDot => ("no decimal point: type °C, e.g. 36.5", "缺少小数点：请输入摄氏度，如 36.5"),
    ErrTempFahrenheit => ("looks like °F: type °C, e.g. 36.5", "似为华氏度：请输入摄氏度，如 36.5"),
    ErrPhone => ("not a mobile number (1[3-9] + 9 digits)", "不是手机号（1[3-9]+9位）"),
    SearchTitle => ("Find a truck or bay", "查找车辆或车位"),
    SearchMatches => ("found (on site, bays, left)", "项匹配（在场、车位、已离场）"),
    SearchNoMatch => ("no truck on site matches", "无匹配的在场车辆"),
    ConfirmKeys => ("Enter confirm · Esc cancel", "Enter 确认 · Esc 取消"),
    CloseKeys => ("Enter/Esc close", "Enter/Esc 关闭"),
    LookAgainKeys => ("Enter look again · Esc cancel", "Enter 重新查找 · Esc 取消"),
    SuggestionTaken => ("{bay}, the bay suggested, was taken meanwhile", "建议的车位 {bay} 刚被占用，已改停此车位"),
    BayTakenMeanwhile => ("{bay} was taken meanwhile by {plate}", "车位 {bay} 刚被 {plate} 占用"),
    BayClosedMeanwhile => ("{bay} was closed meanwhile ({x})", "车位 {bay} 刚被关闭（{x}）"),
    OfferedInstead => (": {bay} is offered instead", "，改为 {bay}"),
    NoFreeBayNow => ("no free bay in the {x} zone now", "{x}现在没有空闲车位"),
    PromptKeys => ("Enter continue · Esc cancel", "Enter 继续 · Esc 取消"),
    MenuKeys => ("press a key · Esc cancel", "按键选择 · Esc 取消"),
    ConfirmDepart => ("Depart through the gate?", "确认离场？"),
    ConfirmForceDepart => ("Force departure (recorded)?", "强制离场（将记录）？"),
    ConfirmMove => ("Move to the new bay?", "挪到新车位？"),
    ConfirmIsolate => ("Move to isolation?", "转入隔离区？"),
    ConfirmRelease => ("Release from isolation?", "解除隔离？"),
    ConfirmHandoff => ("Start point-to-point handoff?", "开始点对点交接？"),
    ConfirmHandoffDone => ("Handoff completed?", "交接完成？"),
    ConfirmHandoffArrived => ("Handoff arrived at its destination?", "确认已送达目的地？"),
    HandoffAlreadyConfirmed => ("handoff already confirmed at its destination", "交接已确认送达"),
    MenuHandoffUnderIsolation => ("Handoff (under isolation's authority: escort only)", "交接（隔离管理中：仅护送）"),
    ConfirmDepartBlocked => ("Departure blocked", "不能离场"),
    DepartForceHint => ("it may be let out with a reason, which is recorded", "可填写原因强制离场（原因将被记录）"),
    DepartNever => ("May not leave", "不得离场"),
    DepartEscortOnly => ("a positive result stands: it leaves only under an escort someone authorised (p: handoff, escort)", "阳性结果未解除：只能经授权护送离开（p：点对点，护送）"),
    DepartEscortUnderWay => ("a positive result stands: it leaves under its authorised escort once the handoff is done (p: handoff, done)", "阳性结果未解除：由已授权的护送带离，交接完成后方可（p：点对点，完成）"),
    DepartIsolateFirst => ("a positive result stands and its handoff is not an authorised escort: isolate it (x), then start an escort someone authorised (p)", "阳性结果未解除，其交接不是经授权的护送：请先隔离（x），再安排经授权的护送（p）"),
    LeftTheLot => ("left the lot", "已离场"),
    ItsLastStay => ("the positive of its last stay", "上次入场的阳性结果"),
    SelectHandoffToConfirm => ("select a handoff waiting for confirmation (confirm arrival)", "请选择待确认送达的交接"),
    SelectTruckToEscalate => ("select a truck's clock to report (escalate)", "请选择要上报的车辆"),
    PromptReceiver => ("Receiving vehicle (plate)", "接收车辆（车牌）"),
    PromptCompany => ("Receiving company", "接收公司"),
    ReceiverIsItself => ("the receiving vehicle is the truck itself", "接收车辆不能是本车"),
    PromptEscort => ("Escorting unit", "护送单位"),
    PromptAuthorisedBy => ("Authorised by (optional)", "批准人（可选）"),
    PromptAuthorisedByRequired => ("Authorised by (required: under isolation's authority)", "批准人（隔离管理中，必填）"),
    AuthorisedBy => ("authorised by", "批准人"),
    BayLeft => ("(left)", "(已离场)"),
    LeavesUnderEscort => ("positive: leaves under its escort", "阳性：由护送带离"),
    MenuRecheck => ("Recheck whom?", "复测哪一位？"),
    MenuCorrect => ("Correct which field?", "更正哪一项？"),
    PromptCorrect => ("The right value (kept as a correction, old → new)", "正确的内容（作为更正记录，保留原值）"),
    MenuRecheckCode => ("Health code now", "当前健康码"),
    PromptRecheckTemp => ("New temperature °C", "复测体温 °C"),
    RecheckReason => ("recheck", "复测"),
    ProposeIsolateRecheck => ("Recheck flagged: move to isolation?", "复测异常：转入隔离区？"),
    ProposeIsolateWaiting => ("Isolation bay free: isolate the waiting truck?", "隔离车位空出：隔离等待车辆？"),
    IsolationBayFree => ("isolation bay {bay} free: isolate {plate} (waiting)", "隔离车位 {bay} 空出：隔离 {plate}（等待中）"),
    FromHoldingList => ("from the holding list", "等待隔离名单"),
    NoteReportOwed => ("its last stay's positive is still to be reported (clocks, e)", "上次入场的阳性结果尚未上报（计时板 e）"),
    NotePositiveLeft => ("it has left: report it (clocks, e)", "已离场：请上报（计时板 e）"),
    NotePositiveCarried => ("this plate's last stay left with a positive that still stands: the truck carries it", "该车牌上次入场的阳性结果仍然有效：此车带有该阳性结果"),
    NoteHolding => ("isolation full: waiting on the holding list", "隔离区已满：列入等待隔离名单"),
    NoteServiceClosed => ("open {x} call closed at departure", "未完成的{x}呼叫已随离场关闭"),
    WaitingForIsolationN => ("waiting for isolation: {n}", "等待隔离：{n}"),
    AgainstChecksReason => ("against the checks", "违检安置"),
    Flagged => ("flagged", "异常"),
    GateLabel => ("gate", "卡口"),
    VenueLabel => ("venue code", "场所码"),
    ReleasedBy => ("released by", "解除决定人"),
    HandoffConfirmedAt => ("arrival confirmed", "已确认送达"),
    HandoffUnconfirmed => ("arrival not confirmed", "未确认送达"),
    ConfirmOpen => ("Reopen this bay?", "重新开放车位？"),
    ProposeIsolate => ("Positive result: move to isolation?", "阳性：转入隔离区？"),
    ProposeResample => ("Invalid result: take a new sample?", "结果无效：重新采样？"),
    PositiveResult => ("positive test result", "检测阳性"),
    PromptIsolateReason => ("Why isolate?", "隔离原因"),
    PromptReleaseReason => ("Why release?", "解除原因"),
    PromptReleaseBy => ("Decided by (name, required)", "决定人（姓名，必填）"),
    DecidedBy => ("decided by", "决定人"),
    PromptEscalateNote => ("Escalation note", "上报说明"),
    PromptForceReason => ("Departure refused: reason to force it", "离场被拒：强制离场原因"),
    PromptCloseReason => ("Why close this bay?", "关闭原因"),
    MenuSample => ("Take which sample?", "采哪种样？"),
    MenuResultTest => ("Result for which test?", "哪项检测的结果？"),
    MenuResult => ("Result", "结果"),
    MenuHandoff => ("Handoff mode", "交接方式"),
    MenuService => ("Service call", "服务呼叫"),
    MenuDisinfect => ("Disinfect", "消毒"),
    OptThisBay => ("this bay", "本车位"),
    QuitDiscardTitle => ("Discard the arrival form and quit?", "放弃登记并退出？"),
    QuitDiscardYes => ("yes, quit", "是，退出"),
    QuitDiscardNo => ("no, keep the form", "否，继续登记"),
    DoneArrive => ("arrived", "已入场"),
    DoneMove => ("moved", "已挪车"),
    DoneDepart => ("departed", "已离场"),
    DoneSample => ("sample taken", "已采样"),
    DoneResult => ("result recorded", "已记录结果"),
    DoneIsolate => ("isolated", "已隔离"),
    DoneRelease => ("released", "已解除隔离"),
    DoneEscalate => ("escalated", "已上报"),
    DoneHandoffStart => ("handoff started", "已开始交接"),
    DoneHandoffDone => ("handoff done", "交接完成"),
    DoneHandoffConfirm => ("handoff arrival confirmed", "已确认送达"),
    DoneRecheck => ("recheck recorded", "已记录复测"),
    DoneService => ("service requested", "已登记服务"),
    DoneServiceDone => ("service done", "服务完成"),
    DoneDisinfect => ("disinfection recorded", "已记录消毒"),
    DoneClose => ("bay closed", "车位已关闭"),
    DoneOpen => ("bay reopened", "车位已开放"),
    DoneUndo => ("undone", "已撤销"),
    DonePurge => ("personal data purged", "个人信息已清除"),
    ClocksTitle => ("Clocks", "计时"),
    NothingDue => ("nothing is due", "暂无到期事项"),
    ColDue => ("due", "到期"),
    ColLeft => ("left", "剩余"),
    ColWhat => ("what", "事项"),
    ColPlate => ("plate", "车牌"),
    ColBay => ("bay", "车位"),
    ColSince => ("since", "开始"),
    ColReason => ("reason", "原因"),
    ColTests => ("tests", "检测"),
    ColNext => ("next action", "下一步"),
    KindResult => ("result", "结果"),
    KindReview => ("isolation review", "隔离复核"),
    KindDisinfect => ("disinfect", "消毒"),
    KindService => ("service", "服务"),
    KindHandoff => ("handoff", "交接"),
    IsolationTitle => ("Isolation", "隔离区"),
    NobodyIsolated => ("nobody is in isolation", "隔离区无车辆"),
    NextChase => ("chase late", "催结果"),
    NextAwait => ("await", "等待"),
    NextEscalate => ("positive: escalate or escort", "阳性：上报或护送"),
    NextReportLastStay => ("report last stay's positive: e", "上报上次入场的阳性：e"),
    NextWaitForBay => ("waiting for an isolation bay", "等待隔离车位"),
    NextEscortUnderWay => ("escort under way: mark done", "护送进行中：完成后标记"),
    NextLetOut => ("escort done: let out", "护送已完成：放行"),
    NextAwaitDecision => ("escalated {x} — await decision", "已于{x}上报——等待决定"),
    KindHandoffConfirm => ("confirm arrival", "确认送达"),
    KindWaitingIsolation => ("waiting for isolation", "等待隔离"),
    KindPositiveOutside => ("positive, not isolated", "阳性未隔离"),
    KindPositiveDeparted => ("positive after it left: report", "离场后阳性：上报"),
    NextSample => ("take a PCR sample", "采核酸样"),
    NextReview => ("review: release or escalate", "复核：解除或上报"),
    NextReviewAt => ("review at", "复核时间"),
    HelpTitle => ("Keys", "按键"),
    HelpPolicy => ("Policy: fever ≥ {fever} °C · antigen due {antigen} min · PCR due {pcr} h · isolation review {review} h · disinfection every {disinfect} h", "政策：发热 ≥ {fever} °C · 抗原 {antigen} 分钟出结果 · 核酸 {pcr} 小时 · 隔离 {review} 小时复核 · 每 {disinfect} 小时消毒"),
    TooSmall => ("Terminal too small: trucklot needs at least {w}×{h} (this one is {cw}×{ch}).", "终端太小：至少需要 {w}×{h}（当前 {cw}×{ch}）。"),
    Refused => ("refused", "拒绝"),
    RefDeparted => ("{plate} has already left", "{plate} 已离场"),
    RefIsolatedUseRelease => ("{plate} is in isolation: release it first", "{plate} 在隔离中：请先解除隔离"),
    RefUseIsolate => ("use isolate to move {plate} into isolation", "请用“隔离”将 {plate} 转入隔离区"),
    RefInHandoff => ("{plate} is in a handoff", "{plate} 正在点对点交接"),
    RefUseHandoff => ("use handoff to move {plate} to the handoff zone", "请用“点对点”将 {plate} 转入点对点区"),
    RefResultPending => ("{plate}: {x} result pending", "{plate}：{x} 结果未出"),
    RefNotReleased => ("{plate} is isolated and not released", "{plate} 在隔离中，未解除"),
    RefHandoffRequired => ("{plate} needs a completed handoff before leaving", "{plate} 须完成点对点交接后离场"),
    RefSamplePending => ("{plate} already has a {x} sample pending", "{plate} 已有待出结果的 {x} 样本"),
    RefNoPendingSample => ("{plate} has no {x} sample pending", "{plate} 没有待出结果的 {x} 样本"),
    RefAlreadyIsolated => ("{plate} is already isolated", "{plate} 已在隔离中"),
    RefNotIsolated => ("{plate} is not isolated", "{plate} 不在隔离中"),
    RefHandoffStarted => ("{plate} already has a handoff", "{plate} 已有交接"),
    RefNoHandoff => ("{plate} has no handoff under way", "{plate} 没有进行中的交接"),
    HandoffStopped => ("stopped: isolated", "已中止：隔离"),
    RefTransferOfPositive => ("{plate}'s cargo transfer began before its positive result", "{plate} 的货物转运在阳性结果之前开始：阳性车辆的货物不得转交；请先隔离，再安排经授权的护送"),
    RefNoServiceCall => ("{plate} has no open service call", "{plate} 没有未完成的服务呼叫"),
    RefNotOnSite => ("{plate} is not on site", "{plate} 不在场内"),
    RefAlreadyOnSite => ("{plate} is already on site, in {bay}", "{plate} 已在场内，车位 {bay}"),
    RefUnknownBay => ("bay {bay} is not in this lot", "本场没有车位 {bay}"),
    RefBayOccupied => ("bay {bay} is occupied by {plate}", "车位 {bay} 已被 {plate} 占用"),
    RefBayClosed => ("bay {bay} is closed ({x})", "车位 {bay} 已关闭（{x}）"),
    RefBayNotClosed => ("bay {bay} is not closed", "车位 {bay} 未关闭"),
    RefResultBeforeSample => ("{plate}'s sample was taken at {x} by this lot's log, after this terminal's clock ({y}): check the clocks of the terminals", "{plate} 的样本按记录采于 {x}，晚于本终端时钟（{y}）：请核对各终端的时钟"),
    RefClockBehind => ("this terminal's clock ({x}) is behind the lot's latest record ({y}): check the clocks of the terminals (a demo lot lives ahead of real time: act on it in its interface)", "本终端时钟（{x}）早于本场最新记录（{y}）：请核对各终端的时钟（演示车场的时间快于实际时间：请在其界面中操作）"),
    RefNowhereToWait => ("no free isolation bay, and no free work lane for a flagged truck to wait in: pick a free bay of another zone and give the reason (an override)", "隔离区无空位，供待隔离车辆等候的工作区车道也已满：请选择其他区的空车位并填写原因（强制安排）"),
    RefNoFreeBay => ("no free bay in the {bay} zone", "{bay} 区无空闲车位"),
    RefWrongZone => ("bay {bay} is not in the {x} zone", "车位 {bay} 不在{x}"),
    RefSameBay => ("{plate} is already in {bay}", "{plate} 已在 {bay}"),
    RefOverrideNeedsReason => ("the checks say otherwise: give a reason to use {bay}", "与检查结果不符：使用 {bay} 须填写原因"),
    RefArriveInHandoff => ("the handoff zone is entered with handoff, not at arrival", "入场时不能直接进入点对点区"),
    RefHoldingUseIsolate => ("{plate} is waiting for an isolation bay: isolate it when one is free", "{plate} 在等待隔离车位：有空位时请隔离"),
    RefPositiveNoRelease => ("{plate}: a positive {x} result stands", "{plate}：{x}阳性结果未解除，不能解除隔离（仅后续核酸阴性可解除）；只能经授权护送离开"),
    RefTransferUnderIsolation => ("{plate} is under isolation's authority: no cargo transfer", "{plate} 处于隔离管理中：不能货物转运，只能经授权护送离开"),
    RefEscortNeedsDecider => ("{plate} is under isolation's authority: name who authorised the escort", "{plate} 处于隔离管理中：护送须填写批准人"),
    RefNoHandoffToConfirm => ("{plate} has no finished handoff waiting for confirmation", "{plate} 没有待确认送达的交接"),
    RefNoSuchPerson => ("{plate} has no person {x}", "{plate} 没有第 {x} 号人员（0 为司机，乘客 1–{y}）"),
    RefNothingToOverride => ("nothing to override", "车位与检查结果一致，无需变更原因"),
    RefNothingToCorrect => ("nothing to correct: {plate}'s record already says that", "无需更正：{plate} 的记录已是如此"),
    RefCorrectCarriedPositive => ("{plate} arrived carrying a positive from its last stay, which still stands: its plate is not corrected while it does (the positive would no longer follow the truck); a negative PCR clears it", "{plate} 入场时带有上次入场的阳性结果，且仍然有效：在此期间不能更正车牌（否则该阳性结果将不再跟随此车）；核酸阴性后方可解除"),
    DoneCorrect => ("corrected", "已更正"),
    RefPolicyUnchanged => ("the lot's policy already says that", "本场规则已是如此"),
    DonePolicy => ("policy recorded", "规则已记录"),
    DoneDisclose => ("recorded as shown", "已记录查看"),
    RefDepartureBlocked => ("{plate} may not leave: {x}", "{plate} 不能离场：{x}；请处理，或填写原因强制离场"),
    RefDepartureBlockedPositive => ("{plate} may not leave: {x}", "{plate} 不能离场：{x}；阳性车辆只能经授权护送离开"),
    RefDepartureBlockedEscortUnderWay => ("{plate} may not leave: {x}", "{plate} 不能离场：{x}；阳性车辆只能由已授权的护送带离：护送接手后请标记交接完成"),
    RefDepartureBlockedIsolateFirst => ("{plate} may not leave: {x}", "{plate} 不能离场：{x}；阳性车辆只能经授权护送离开，而其交接不是：请先隔离，再由授权人安排护送"),
    RefTubeInUse => ("tube {x} is already used", "试管 {x} 已用于 {plate} 的{y}样本"),
    RefWhichServiceCall => ("{plate} has open calls of several kinds ({x}): say which is done", "{plate} 有多种未完成的呼叫（{x}）：请说明完成的是哪一项"),
    RefNoServiceCallOfKind => ("{plate} has no open {x} call (open: {y})", "{plate} 没有未完成的{x}呼叫（未完成：{y}）"),
    RefUnknownTube => ("no sample has tube id {x}", "没有试管号为 {x} 的样本"),
    RefResultConflict => ("tube {x} result conflict", "试管 {x} 已有{y}结果，文件中为{z}"),
    BlockPositive => ("a positive {x} result stands", "{x}阳性结果未解除"),
    BlockWaiting => ("it is waiting for an isolation bay", "正在等待隔离车位"),
    BlockNotReleased => ("it is in isolation and not released", "在隔离中，未解除"),
    BlockFlagged => ("its latest checks flag it (fever, code or travel) and it was not isolated since", "最近一次检测有异常（发热、健康码或行程），此后未经隔离"),
    BlockNoSample => ("no {x} sample was taken", "未采{x}样"),
    BlockResultPending => ("the {x} result is pending", "{x}结果未出"),
    BlockInvalid => ("the latest {x} result is invalid (sample again)", "最近一次{x}结果无效（请重新采样）"),
    BlockHandoffUnderWay => ("its handoff is under way (mark it done)", "点对点交接进行中（完成后标记）"),
    BlockHandoffRequired => ("it needs a point-to-point handoff that has not been done", "须点对点交接，尚未完成"),
    BlockMedicalCall => ("a medical call is open", "有未完成的医疗呼叫"),
    // What a forced departure went past, by the blocker's key (the log
    // keeps keys, not the test they were about).
    PastPositive => ("a positive result", "阳性结果"),
    PastWaiting => ("the wait for an isolation bay", "等待隔离车位"),
    PastNotReleased => ("isolation without release", "未解除隔离"),
    PastFlagged => ("flagged checks", "检测异常"),
    PastNoSample => ("a missing sample", "未采样"),
    PastResultPending => ("a pending result", "结果未出"),
    PastInvalid => ("an invalid result", "结果无效"),
    PastHandoffUnderWay => ("a handoff under way", "交接进行中"),
    PastHandoffRequired => ("a required handoff", "须点对点交接"),
    PastMedicalCall => ("an open medical call", "医疗呼叫未完成"),
    ModeLog => ("Event log", "事件日志"),
    ModeLogFilter => ("Event log: filter", "事件日志：筛选"),
    ModePast => ("The lot at a past moment", "历史时刻的车场"),
    ModeReport => ("Shift report", "交班报告"),
    ModeStay => ("A stay", "车辆记录"),
    KeyLog => ("event log", "事件日志"),
    KeyPast => ("lot at a past moment", "查看历史时刻"),
    KeyReport => ("shift report", "交班报告"),
    KeyIsolationThen => ("the isolation board then", "当时的隔离区看板"),
    KeyUndo => ("undo my last action", "撤销我的最后一次操作"),
    KeySignIn => ("sign in someone else", "换人签到"),
    PromptSignIn => ("Who is at the keyboard?", "当前操作员是谁？"),
    SignInWhy => ("every event is recorded in this name", "所有记录都以此姓名登记"),
    SignedIn => ("signed in: {x}", "已签到：{x}"),
    SignInNotKept => ("signed in, but this terminal could not remember it", "已签到，但本终端未能记住"),
    ConfirmUndo => ("Undo your last action?", "撤销您的最后一次操作？"),
    KeyOlder => ("older events", "更早的事件"),
    KeyNewer => ("newer events", "更新的事件"),
    KeyFilter => ("filter", "筛选"),
    KeyApplyFilter => ("apply the filter", "应用筛选"),
    KeyClearFilters => ("clear every filter", "清除全部筛选"),
    KeyShowEvent => ("go to its truck or bay", "转到车辆或车位"),
    KeyHourBack => ("an hour earlier", "早一小时"),
    KeyHourForward => ("an hour later", "晚一小时"),
    KeyTypeTime => ("type a time", "输入时间"),
    KeyNow => ("back to now", "回到现在"),
    KeyShiftPrev => ("previous shift", "上一班"),
    KeyShiftNext => ("next shift", "下一班"),
    KeyScrollUp => ("scroll up", "向上滚动"),
    KeyScrollDown => ("scroll down", "向下滚动"),
    KeyPageUp => ("a page up", "上一页"),
    KeyPageDown => ("a page down", "下一页"),
    KeyReadOnly => ("acting on the lot: says why not (read only)", "操作车场：提示原因（只读）"),
    LogTitle => ("Event log", "事件日志"),
    LogPage => ("page {n}", "第 {n} 页"),
    LogNewestFirst => ("newest first", "最新在前"),
    LogEmpty => ("no event matches", "没有匹配的事件"),
    LogNoOlder => ("no older events", "没有更早的事件"),
    LogNoFilter => ("no filter is set", "未设置筛选"),
    LogNoNewer => ("this is the newest page", "已是最新一页"),
    LogNothingOnMap => ("this event concerns no truck or bay", "此事件不涉及车辆或车位"),
    LogFilterKeys => ("f filter · Ctrl-u in a field clears it", "f 筛选 · 在栏中按 Ctrl-u 清空"),
    ColTime => ("time", "时间"),
    ColOperator => ("operator", "操作员"),
    ColTerminal => ("terminal", "终端"),
    ColKind => ("event", "事件"),
    ColSummary => ("details", "摘要"),
    ColZone => ("zone", "区域"),
    ColCapacity => ("bays", "车位数"),
    FilterSince => ("from", "起"),
    FilterUntil => ("until", "止"),
    FilterBadBay => ("not a bay of this lot", "不是本场车位"),
    FilterBadZone => ("not a zone: work, living, parking, isolation, handoff (or W L P I H)", "不是区域：工作区、生活区、停车区、隔离区、点对点（或 W L P I H）"),
    FilterBadKind => ("not a kind of event (arrived, moved, departed, …)", "不是事件类型（入场、挪车、离场……）"),
    FilterBadTime => ("not a time: 2026-11-25 03:00, 11-25 03:00 or 03:00 (site time)", "不是时间：2026-11-25 03:00、11-25 03:00 或 03:00（本地时间）"),
    EvArrived => ("arrived", "入场"),
    EvMoved => ("moved", "挪车"),
    EvDeparted => ("departed", "离场"),
    EvSampleTaken => ("sample taken", "采样"),
    EvResultRecorded => ("result", "结果"),
    EvIsolated => ("isolated", "隔离"),
    EvReleased => ("released", "解除隔离"),
    EvEscalated => ("escalated", "上报"),
    EvHandoffStarted => ("handoff started", "开始交接"),
    EvHandoffCompleted => ("handoff done", "交接完成"),
    EvHandoffConfirmed => ("handoff arrived", "确认送达"),
    EvRechecked => ("rechecked", "复测"),
    EvCorrected => ("corrected", "更正"),
    EvPolicyChanged => ("policy changed", "规则变更"),
    EvDisclosed => ("personal data shown", "个人信息查看"),
    EvServiceRequested => ("service call", "服务呼叫"),
    EvServiceDone => ("service done", "服务完成"),
    EvDisinfected => ("disinfected", "消毒"),
    EvBayClosed => ("bay closed", "关闭车位"),
    EvBayOpened => ("bay reopened", "开放车位"),
    EvPurged => ("personal data purged", "个人信息清除"),
    RefAlreadyDone => ("action {x} was already done (event {y})", "操作 {x} 已完成（事件 {y}）：没有重复记录"),
    RefNothingToUndo => ("{x} has no action left to undo", "{x} 没有可撤销的操作"),
    RefUndoNotLast => ("event {x} is no longer your last action", "事件 {x} 已不是您的最后一次操作：请重新查看"),
    RefUndoDecision => ("a decision or a measurement ({x}) is not undone", "{x} 是决定或测量，不能撤销：请记录下一项决定"),
    RefUndoPositive => ("a positive result is not undone", "阳性结果不能撤销：只有其后的核酸阴性才能解除"),
    RefUndoChangedSince => ("event {x} ({y}) can no longer be undone: event {z} came after it", "事件 {x}（{y}）已不能撤销：其后有事件 {z}"),
    RefUndoPurged => ("event {x} can no longer be undone: its personal data was purged", "事件 {x} 已不能撤销：其个人信息已清除"),
    RefNothingToPurge => ("no stay that ended before {x} has personal data left", "{x} 之前结束的停留均已无个人信息：无需清除"),
    EvUndone => ("undone", "撤销"),
    SumPurged => ("stays that ended before {x}", "{x} 之前结束的停留"),
    SumUndone => ("event {x} taken back", "撤回事件 {x}"),
    SumPassengers => ("{n} in the cab", "车内 {n} 人"),
    SumDue => ("due {x}", "应于 {x}"),
    SumReported => ("reported {x}", "报告于 {x}"),
    SumOverride => ("override: {x}", "变更原因：{x}"),
    SumForced => ("forced: {x}", "强制：{x}"),
    SumForcedPast => ("forced past {y}: {x}", "强制越过 {y}：{x}"),
    SumCall => ("call {x}", "呼叫 {x}"),
    SumCallAtDeparture => ("call {x} closed at departure", "呼叫 {x} 已随离场关闭"),
    SumTo => ("to {x}", "交给 {x}"),
    SumZone => ("zone {x}", "{x}"),
    SumNewPolicy => ("new thresholds for every terminal", "各终端启用新规则"),
    StayDepartedAt => ("departed {at}", "已于 {at} 离场"),
    StayKeys => ("↑↓ scroll · Esc close", "↑↓ 滚动 · Esc 关闭"),
    PastBanner => ("the lot at {t} — read only", "{t} 时的车场 — 只读"),
    PastOverdueThen => (" · {n} late then", " · 当时超时 {n} 项"),
    PastReadOnly => ("read only: this is the lot at {t} — Esc returns to now", "只读：这是 {t} 时的车场 — 按 Esc 回到现在"),
    PromptPastTime => ("Show the lot at (site time)", "查看车场的时刻（本地时间）"),
    PastFuture => ("that moment has not come yet", "该时刻尚未到来"),
    PastBeforeLot => ("the lot did not exist yet then", "当时车场尚未建立"),
    PastPendingTests => ("waiting for", "待结果"),
    ReportTitle => ("Shift report {from} – {to}", "交班报告 {from} – {to}"),
    ReportUnderWay => ("shift under way: up to now", "本班进行中：截至现在"),
    ReportEvents => ("{n} events", "共 {n} 条事件"),
    ReportOccupancy => ("Occupancy", "各区占用"),
    ReportAtStart => ("at start", "开始时"),
    ReportAtEnd => ("at end", "结束时"),
    ReportNow => ("now", "现在"),
    ReportTraffic => ("Arrivals and departures", "出入场"),
    ReportArrivals => ("arrivals", "入场"),
    ReportDepartures => ("departures", "离场"),
    ReportByProvince => ("by plate province", "按车牌省份"),
    ReportByGate => ("by gate", "按卡口"),
    ReportFlagged => ("flagged at the gate {x} · waited for an isolation bay {y}", "卡口异常 {x} · 等待隔离车位 {y}"),
    ReportTests => ("Tests", "检测"),
    ReportSamples => ("samples", "采样"),
    ReportResults => ("results", "结果"),
    ReportIsolations => ("Isolation", "隔离"),
    ReportStillHeld => ("still held", "仍在隔离"),
    ReportBefore => ("before the window", "本时段前"),
    ReportEscalations => ("escalations", "上报"),
    ReportHandoffs => ("Handoffs", "点对点交接"),
    ReportHandoffLine => ("started {x} · done {y} · arrival confirmed {z}", "开始 {x} · 完成 {y} · 确认送达 {z}"),
    ReportServices => ("Service calls", "服务呼叫"),
    ReportServiceLine => ("requested {x} · done {y}", "呼叫 {x} · 完成 {y}"),
    ReportDisinfections => ("Disinfection rounds", "消毒"),
    ReportClosed => ("Closed bays", "关闭车位"),
    ReportReopened => ("reopened", "重新开放"),
    ReportOverdue => ("Overdue when the window ended", "结束时超时事项"),
    ReportOverdueNow => ("Overdue now", "当前超时事项"),
    ReportOverrides => ("Overrides and forced actions", "变更与强制操作"),
    ReportPolicy => ("Policy changes", "规则变更"),
    ReportDisclosures => ("Personal data shown", "个人信息查看"),
    ReportUndos => ("Actions undone", "已撤销的操作"),
    ReportNone => ("none", "无"),
    ReportForced => ("forced departure", "强制离场"),
    ReportOverridden => ("past", "越过"),
    ReportNoShift => ("no shift times are set ([site] shifts)", "未设置班次（[site] shifts）"),
    ReportNoNext => ("this is the shift under way", "已是当前班次"),
}
}

/// A catalogue text in ASCII, for `--ascii` (terminals that draw
/// ambiguous-width characters wide): the interface's symbols get plain
/// forms (`→` `->`, `≥` `>=`, `°C` `C`, `·` `|`, `✓` `ok`, `✗` `x`, …).
/// Chinese text is left as it is (it is wide, never ambiguous).
pub fn ascii_form(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // "36.5 °C" reads "36.5 C".
            '°' => {
                if chars.peek() != Some(&'C') {
                    out.push_str("deg");
                }
            }
            _ => match ascii_symbol(c) {
                Some(a) => out.push_str(a),
                None => out.push(c),
            },
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The ASCII form of one of the interface's symbols, if it has one.
pub fn ascii_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '·' | '•' => "|",
        '→' => "->",
        '←' => "<-",
        '↑' => "^",
        '↓' => "v",
        '≥' => ">=",
        '≤' => "<=",
        '–' => "-",
        '—' => "--",
        '×' => "x",
        '✓' => "ok",
        '✗' => "x",
        '▲' => "^",
        '▼' => "v",
        '▶' | '▸' | '›' => ">",
        '◀' | '‹' => "<",
        '⚑' => "F",
        '⚠' => "!",
        '★' => "*",
        '…' => "...",
        '“' | '”' => "\"",
        '‘' | '’' => "'",
        _ => return None,
    })
}

/// The catalogue word of a log kind (`arrived` → "arrived", "入场").
pub fn event_kind_msg(kind: &str) -> Option<Msg> {
    Some(match kind {
        "arrived" => Msg::EvArrived,
        "moved" => Msg::EvMoved,
        "departed" => Msg::EvDeparted,
        "sample_taken" => Msg::EvSampleTaken,
        "result_recorded" => Msg::EvResultRecorded,
        "isolated" => Msg::EvIsolated,
        "released" => Msg::EvReleased,
        "escalated" => Msg::EvEscalated,
        "handoff_started" => Msg::EvHandoffStarted,
        "handoff_completed" => Msg::EvHandoffCompleted,
        "handoff_confirmed" => Msg::EvHandoffConfirmed,
        "rechecked" => Msg::EvRechecked,
        "corrected" => Msg::EvCorrected,
        "policy_changed" => Msg::EvPolicyChanged,
        "disclosed" => Msg::EvDisclosed,
        "service_requested" => Msg::EvServiceRequested,
        "service_done" => Msg::EvServiceDone,
        "disinfected" => Msg::EvDisinfected,
        "bay_closed" => Msg::EvBayClosed,
        "bay_opened" => Msg::EvBayOpened,
        "purged" => Msg::EvPurged,
        "undone" => Msg::EvUndone,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for lang in [Lang::En, Lang::Zh] {
            for m in Msg::ALL {
                assert!(!m.text(lang).trim().is_empty(), "{m:?} has no {lang} text");
            }
            for m in CliMsg::ALL {
                assert!(!m.text(lang).trim().is_empty(), "{m:?} has no {lang} text");
            }
        }
    }

    #[test]
    fn ascii_forms_are_ascii() {
        for lang in [Lang::En] {
            for m in Msg::ALL {
                let a = ascii_form(m.text(lang));
                // Plate characters named in a message are wide, never ambiguous.
                assert!(
                    a.chars()
                        .all(|c| c.is_ascii()
                            || unicode_width::UnicodeWidthChar::width(c) == Some(2)),
                    "{m:?}: {a}"
                );
            }
        }
        assert_eq!(ascii_form("36.5 °C"), "36.5 C");
        assert_eq!(ascii_form("a → b"), "a -> b");
    }

    #[test]
    fn findings_read_in_chinese() {
        use crate::domain::policy::{CheckFlag, Finding};
        let f = [
            Finding {
                person: 1,
                flag: CheckFlag::Fever,
            },
            Finding {
                person: 0,
                flag: CheckFlag::YellowCode,
            },
        ];
        let name = |n: u8| (n == 1).then(|| "李四".to_string());
        assert_eq!(
            words::findings_in(Lang::Zh, &f, name),
            "发热: 乘客 1 李四; 黄码: 司机"
        );
    }

    #[test]
    fn language_follows_the_locale() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
        assert_eq!("zh".parse::<Lang>().unwrap(), Lang::Zh);
        assert!("fr".parse::<Lang>().is_err());
    }
}
