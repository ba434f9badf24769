//! The simulated people and vehicles: a tiny deterministic
//! PRNG (splitmix64) and generators of plates (mostly Shanxi 晋, some
//! 冀/豫/陕/京, some 挂 trailers), drivers' names, phones, cargo, gate
//! temperatures and health codes, with the mix a checkpoint sees.
//!
//! What lives elsewhere: the simulation that uses them (`sim`), the
//! rhythm of the day (`sim::waves`).

use chrono::Duration;

use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::policy::{Cargo, HealthCode, Temperature};

/// splitmix64: tiny, fast, and good enough for simulated traffic.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [lo, hi].
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo).max(0) as u64 + 1)) as i64
    }

    pub(super) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }

    /// One entry of a word list: separated by spaces, or by `|` if it has any.
    pub(super) fn word<'a>(&mut self, list: &'a str) -> &'a str {
        let items: Vec<&str> = if list.contains('|') {
            list.split('|').collect()
        } else {
            list.split_whitespace().collect()
        };
        let i = self.next() % items.len().max(1) as u64;
        items.get(i as usize).copied().unwrap_or_default()
    }

    pub(super) fn minutes(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::seconds(self.range(lo * 60, hi * 60))
    }
}

// Word lists, `|`-separated where an entry holds spaces.
const SURNAMES: &str = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 韩 冯 邓 曹 彭 田 董 潘 程 苏 魏 吕 丁 任 姚 崔 史 贾 申 牛 郝 段 武 秦";
const GIVEN: &str = "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 俊 帆 旭 宁 龙 林 峰 建 国 海 东 新 文 志 永 红 春 生 福 晓 丽 芳 娟 敏";
pub(super) const ORIGINS: &str =
    "太原 长治 晋城 临汾 大同 吕梁 晋中 运城 忻州 石家庄 邯郸 郑州 安阳 洛阳 新乡 西安 北京 天津";
pub(super) const DESTINATIONS: &str = "屯留 长治 潞城 襄垣 沁县 长子 壶关 太原 晋城 高平";
pub(super) const TRANSFER_TO: &str =
    "晋D5K231 长治市物资公司|晋D7Q019 屯留区粮油站|晋DA3317 潞安集团|晋D2M880 长治医药配送";
pub(super) const ESCORT_TO: &str =
    "屯留 医院 / 交警护送|长治 物流园 / 派出所护送|潞城 仓库 / 交警护送";
/// Shanxi issuing letters (Changzhi, D, is the local one).
const SHANXI_LETTERS: &[char] = &[
    'A', 'B', 'C', 'D', 'D', 'D', 'D', 'E', 'F', 'H', 'J', 'K', 'L', 'M',
];
const SERIAL: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

pub(super) fn plate(rng: &mut Rng) -> Option<Plate> {
    let p = rng.unit();
    let province = if p < 0.75 {
        '晋'
    } else if p < 0.83 {
        '冀'
    } else if p < 0.90 {
        '豫'
    } else if p < 0.96 {
        '陕'
    } else {
        '京'
    };
    let letter = if province == '晋' {
        *rng.pick(SHANXI_LETTERS)
    } else {
        SERIAL[rng.range(0, 7) as usize] as char
    };
    let trailer = rng.chance(0.08);
    let len = if trailer { 4 } else { 5 };
    let mut s = format!("{province}{letter}");
    for i in 0..len {
        // Mostly digits, with a letter now and then (not first, as is common).
        if i > 0 && rng.chance(0.15) {
            s.push(*rng.pick(SERIAL) as char);
        } else {
            s.push((b'0' + rng.range(0, 9) as u8) as char);
        }
    }
    if trailer {
        s.push('挂');
    }
    Plate::parse(&s).ok()
}

pub(super) fn driver(rng: &mut Rng) -> String {
    let mut s = rng.word(SURNAMES).to_string();
    s.push_str(rng.word(GIVEN));
    if rng.chance(0.6) {
        s.push_str(rng.word(GIVEN));
    }
    s
}

pub(super) fn phone(rng: &mut Rng) -> Option<Phone> {
    let mut s = format!("1{}", rng.range(3, 9));
    for _ in 0..9 {
        s.push((b'0' + rng.range(0, 9) as u8) as char);
    }
    Phone::parse(&s).ok()
}

pub(super) fn cargo(rng: &mut Rng) -> Cargo {
    let p = rng.unit();
    if p < 0.08 {
        Cargo::Emergency
    } else if p < 0.25 {
        Cargo::Living
    } else if p < 0.40 {
        Cargo::Production
    } else {
        Cargo::Other
    }
}

pub(super) fn temperature(rng: &mut Rng) -> Option<Temperature> {
    let c = if rng.chance(0.003) {
        37.3 + rng.range(0, 13) as f64 / 10.0
    } else {
        36.0 + rng.range(0, 12) as f64 / 10.0
    };
    Temperature::new(c).ok()
}

pub(super) fn code(rng: &mut Rng) -> HealthCode {
    let p = rng.unit();
    if p < 0.001 {
        HealthCode::Red
    } else if p < 0.005 {
        HealthCode::Yellow
    } else {
        HealthCode::Green
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_are_valid_and_deterministic() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        for _ in 0..2000 {
            assert_eq!(a.next(), b.next());
        }
        let mut r = Rng(1);
        let mut ok = 0;
        for _ in 0..1000 {
            ok += usize::from(plate(&mut r).is_some());
            assert!(phone(&mut r).is_some());
            assert!(temperature(&mut r).is_some());
            let d = driver(&mut r);
            assert!(crate::domain::text::clean("driver", &d, true).is_ok());
        }
        assert!(ok > 990, "{ok} of 1000 plates valid");
    }
}
