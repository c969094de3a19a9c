//! Reference data (names, trades, employers, case kinds) and the weighted
//! choice the generator draws from them.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::domain::case::{CaseType, CloseReason, Referral};
use crate::domain::person::Trade;

/// Surnames with their approximate frequency (per 10,000 people).
#[rustfmt::skip]
pub(super) const SURNAMES: &[(&str, u32)] = &[
    ("王", 710), ("李", 700), ("张", 680), ("刘", 540), ("陈", 450), ("杨", 310), ("黄", 250),
    ("赵", 230), ("吴", 200), ("周", 190), ("徐", 150), ("孙", 150), ("马", 130), ("朱", 130),
    ("胡", 120), ("郭", 120), ("何", 100), ("高", 100), ("林", 100), ("罗", 90), ("郑", 90), ("梁", 90),
    ("谢", 70), ("宋", 70), ("唐", 60), ("许", 60), ("韩", 60), ("冯", 60), ("邓", 60), ("曹", 60),
    ("彭", 50), ("曾", 50), ("肖", 50), ("田", 50), ("董", 50), ("袁", 40), ("潘", 40), ("于", 40),
    ("蒋", 40), ("蔡", 40), ("余", 40), ("杜", 40), ("叶", 40), ("程", 40), ("苏", 30), ("魏", 30),
    ("吕", 30), ("丁", 30), ("任", 30), ("沈", 30), ("姚", 30), ("卢", 30), ("姜", 20), ("崔", 20),
    ("钟", 20), ("谭", 20), ("陆", 20), ("汪", 20), ("范", 20), ("金", 20), ("石", 20), ("廖", 20),
    ("贾", 20), ("夏", 20), ("韦", 20), ("付", 20), ("方", 20), ("白", 20), ("邹", 20), ("孟", 20),
    ("熊", 20), ("秦", 20), ("邱", 20), ("江", 20), ("尹", 20), ("薛", 15), ("闫", 15), ("段", 15),
    ("雷", 15), ("侯", 15), ("龙", 15), ("史", 15), ("陶", 10), ("黎", 10), ("贺", 10), ("顾", 10),
    ("毛", 10), ("郝", 10), ("龚", 10), ("邵", 10), ("万", 10), ("钱", 10), ("严", 10), ("覃", 10),
    ("武", 10), ("戴", 10), ("莫", 10), ("孔", 10), ("向", 10), ("汤", 10), ("常", 10), ("温", 10),
    ("康", 10), ("施", 8), ("文", 8), ("牛", 8), ("樊", 8), ("葛", 8), ("邢", 8), ("安", 8), ("齐", 8),
    ("易", 8), ("乔", 8), ("伍", 8), ("庞", 8), ("颜", 8), ("倪", 8), ("庄", 8), ("聂", 8), ("章", 6),
    ("鲁", 6), ("岳", 6), ("翟", 6), ("殷", 6), ("詹", 6), ("申", 6), ("耿", 6), ("关", 6), ("兰", 6),
    ("焦", 6), ("俞", 6), ("左", 6), ("柳", 6), ("甘", 6), ("祝", 6), ("包", 6), ("欧阳", 3), ("司马", 1),
    ("上官", 1), ("诸葛", 1), ("司徒", 1), ("皇甫", 1), ("令狐", 1), ("东方", 1),
];

/// Common characters of men's and women's given names (some are used for
/// both).
pub(super) const GIVEN_MALE: &str = "伟强磊军洋勇杰涛明超刚建文辉力飞鹏斌宇浩凯健俊峰波成国海志永东金亮兵新胜福\
贵德庆山荣光彬鑫振宏卫学豪毅铭忠诚根生喜发友全龙博轩阳林平华春晓";
pub(super) const GIVEN_FEMALE: &str = "芳娜敏静丽艳娟秀霞桂英玉萍红春兰梅琴云莉婷雪燕晨欣怡玲晓丹佳雨嘉思涵梓秋菊\
凤珍慧颖洁琳月翠华平林";

pub(super) const TRADES: &[(Trade, u32)] = &[
    (Trade::FoodDelivery, 30),
    (Trade::Courier, 24),
    (Trade::RideHail, 12),
    (Trade::Sanitation, 9),
    (Trade::Construction, 8),
    (Trade::Truck, 6),
    (Trade::Security, 4),
    (Trade::Landscaping, 3),
    (Trade::HomeService, 2),
    (Trade::Other, 2),
];

pub(super) const FOOD_PLATFORMS: &[(&str, u32)] = &[
    ("美团", 45),
    ("饿了么", 35),
    ("美团众包", 8),
    ("蜂鸟众包", 6),
    ("闪送", 3),
    ("UU跑腿", 3),
];
pub(super) const COURIERS: &[(&str, u32)] = &[
    ("顺丰速运", 24),
    ("京东物流", 20),
    ("中通快递", 15),
    ("圆通速递", 12),
    ("韵达快递", 10),
    ("申通快递", 8),
    ("极兔速递", 6),
    ("中国邮政EMS", 3),
    ("德邦快递", 2),
];
pub(super) const RIDE_HAIL: &[(&str, u32)] = &[
    ("滴滴出行", 55),
    ("高德打车", 15),
    ("T3出行", 8),
    ("曹操出行", 8),
    ("美团打车", 6),
    ("如祺出行", 4),
    ("花小猪打车", 4),
];
pub(super) const TRUCKING: &[(&str, u32)] = &[
    ("货拉拉", 35),
    ("满帮", 30),
    ("快狗打车", 10),
    ("个体运输", 25),
];
pub(super) const HOME_SERVICE: &[(&str, u32)] = &[("58到家", 30), ("天鹅到家", 25), ("个体", 45)];

/// Made-up company name parts (no real company is named as a respondent).
pub(super) const BRANDS: &[&str] = &[
    "宏达", "鑫源", "恒业", "华建", "远航", "众邦", "安泰", "鹏程", "德润", "金桥", "永盛", "万通",
    "瑞丰", "广厦", "中联", "盛世", "顺捷", "嘉禾", "兴业", "汇通",
];
pub(super) const BUILDERS: &[&str] = &[
    "建筑劳务有限公司",
    "建设工程有限公司",
    "建筑工程有限公司",
    "劳务分包有限公司",
    "装饰工程有限公司",
];

/// The city and a few street areas of a station, by its code.
pub(super) fn place(code: &str) -> (&'static str, &'static [&'static str]) {
    match code {
        "FT" => (
            "深圳市",
            &["车公庙", "华强北", "梅林", "香蜜湖", "福田口岸", "景田"],
        ),
        "NS" => ("深圳市", &["科技园", "蛇口", "西丽", "南头", "前海"]),
        "ZB" => ("淄博市", &["张店", "淄川", "周村", "临淄", "博山"]),
        _ => ("", &["城东", "城西", "城南", "城北", "新区"]),
    }
}

pub(super) const PROVINCES: &[(&str, u32)] = &[
    ("44", 20),
    ("41", 14),
    ("43", 12),
    ("51", 10),
    ("37", 10),
    ("36", 8),
    ("42", 8),
    ("45", 8),
    ("34", 6),
    ("52", 4),
];

pub(super) const CASE_TYPES: &[(CaseType, u32)] = &[
    (CaseType::WageArrears, 42),
    (CaseType::LabourDispute, 14),
    (CaseType::WorkInjury, 10),
    (CaseType::LegalAid, 8),
    (CaseType::Hardship, 12),
    (CaseType::EmergencyRelief, 5),
    (CaseType::Psychological, 5),
    (CaseType::Other, 4),
];

pub(super) const REFERRALS: &[(Referral, u32)] = &[
    (Referral::Arbitration, 40),
    (Referral::LegalAidCentre, 25),
    (Referral::LabourInspection, 25),
    (Referral::Court, 10),
];

pub(super) const CLOSE_REASONS: &[(CloseReason, u32)] = &[
    (CloseReason::Withdrawn, 35),
    (CloseReason::Unreachable, 25),
    (CloseReason::NotPursued, 15),
    (CloseReason::Transferred, 20),
    (CloseReason::Other, 5),
];

/// A weighted choice among a few items.
pub(super) struct Table<T: Copy> {
    items: Vec<T>,
    cum: Vec<u32>,
}

impl<T: Copy> Table<T> {
    pub(super) fn new(pairs: &[(T, u32)]) -> Self {
        let mut total = 0;
        let mut items = Vec::with_capacity(pairs.len());
        let mut cum = Vec::with_capacity(pairs.len());
        for &(item, w) in pairs {
            total += w;
            items.push(item);
            cum.push(total);
        }
        Table { items, cum }
    }

    pub(super) fn pick(&self, rng: &mut ChaCha8Rng) -> T {
        let total = self.cum.last().copied().unwrap_or(0).max(1);
        let r = rng.random_range(0..total);
        let i = self.cum.partition_point(|&c| c <= r);
        self.items[i.min(self.items.len() - 1)]
    }
}

pub(super) fn one<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// An approximately normal number (mean 0, deviation 1).
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let s: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    (s - 2.0) * 3f64.sqrt()
}
