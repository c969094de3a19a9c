//! The words of a case: respondents, summaries and timeline notes.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;

use super::Gen;
use super::data::{BRANDS, BUILDERS, one};
use crate::domain::Fen;
use crate::domain::case::{CaseType, HardshipKind, Referral};
use crate::domain::person::Trade;

impl Gen {
    pub(super) fn group_respondent(&mut self, trade: Trade) -> String {
        match trade {
            Trade::Construction => self.company(BUILDERS),
            Trade::FoodDelivery => {
                let brand = one(&mut self.rng, BRANDS);
                let area = one(&mut self.rng, self.areas);
                format!("{}{brand}配送服务有限公司（{area}配送站）", self.city)
            }
            Trade::Sanitation => self.company(&["环境卫生服务有限公司", "清洁服务有限公司"]),
            _ => self.company(&["保安服务有限公司", "物业管理有限公司", "人力资源有限公司"]),
        }
    }

    pub(super) fn respondent(&mut self, trade: Trade) -> String {
        match trade {
            Trade::FoodDelivery | Trade::Courier => {
                let brand = one(&mut self.rng, BRANDS);
                let area = one(&mut self.rng, self.areas);
                let kind = one(
                    &mut self.rng,
                    &["配送服务有限公司", "物流有限公司", "快递服务部"],
                );
                format!("{}{brand}{kind}（{area}站）", self.city)
            }
            Trade::Construction => self.company(BUILDERS),
            Trade::RideHail => self.company(&["汽车租赁有限公司", "网约车运营有限公司"]),
            Trade::Truck => self.company(&["物流有限公司", "货运代理有限公司"]),
            Trade::Sanitation => self.company(&["环境卫生服务有限公司"]),
            Trade::Landscaping => self.company(&["园林绿化工程有限公司"]),
            Trade::Security => self.company(&["保安服务有限公司", "物业管理有限公司"]),
            Trade::HomeService => self.company(&["家政服务有限公司"]),
            Trade::Other => {
                self.company(&["人力资源有限公司", "劳务派遣有限公司", "餐饮管理有限公司"])
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn summary(
        &mut self,
        case_type: CaseType,
        hardship: Option<HardshipKind>,
        respondent: Option<&str>,
        claimants: usize,
        trade: Trade,
        claimed: Fen,
        period: &str,
    ) -> String {
        let resp = respondent.unwrap_or("用人单位");
        let trade_zh = trade.label(crate::i18n::Lang::ZhCn);
        match case_type {
            CaseType::WageArrears if claimants > 1 => {
                format!(
                    "{claimants}名{trade_zh}反映{resp}拖欠{period}工资，合计{}",
                    yuan(claimed)
                )
            }
            CaseType::WageArrears => format!("反映{resp}拖欠{period}工资{}", yuan(claimed)),
            CaseType::LabourDispute => format!(
                "与{resp}{}",
                one(
                    &mut self.rng,
                    &[
                        "解除劳动合同经济补偿争议",
                        "未签订书面劳动合同二倍工资争议",
                        "加班费争议",
                        "社会保险缴纳争议",
                        "押金及罚款扣除争议"
                    ]
                )
            ),
            CaseType::WorkInjury => match trade {
                Trade::FoodDelivery => "送餐途中发生交通事故受伤，申请工伤认定",
                Trade::Courier => "派件时摔倒致手腕骨折，要求单位承担医疗费",
                Trade::Construction => "施工中高处坠落受伤，单位未缴工伤保险",
                Trade::Sanitation => "清扫路面时被车辆剐蹭受伤，协商工伤待遇",
                Trade::Truck => "装卸货物时腰部扭伤，要求认定工伤",
                Trade::RideHail => "营运途中发生交通事故受伤，与公司协商赔偿",
                _ => "高温作业中暑送医，协商工伤待遇",
            }
            .to_owned(),
            CaseType::LegalAid => one(
                &mut self.rng,
                &[
                    "交通事故赔偿纠纷，申请法律援助",
                    "劳动合同纠纷，需要律师代理仲裁",
                    "被平台封号及扣款，咨询维权途径",
                ],
            )
            .to_owned(),
            CaseType::Hardship => match hardship {
                Some(HardshipKind::Medical) => "家属患重病，医疗费用负担重，申请医疗救助",
                Some(HardshipKind::Education) => "子女上学费用困难，申请金秋助学",
                Some(HardshipKind::Employment) => "失业后求职困难，申请就业帮扶",
                Some(HardshipKind::Emotional) => "独自在外务工，家庭变故后情绪低落，需要关怀",
                _ => "家庭生活困难，申请生活救助",
            }
            .to_owned(),
            CaseType::EmergencyRelief => one(
                &mut self.rng,
                &[
                    "高温天气中暑晕倒，送医后申请应急救助",
                    "电动车被盗无法工作，生活陷入困难",
                    "暴雨中受伤，急需医疗费用",
                ],
            )
            .to_owned(),
            CaseType::Psychological => one(
                &mut self.rng,
                &[
                    "工作压力大，长期失眠焦虑，申请心理疏导",
                    "与顾客发生冲突后情绪困扰",
                    "夫妻矛盾影响工作，希望得到心理支持",
                ],
            )
            .to_owned(),
            CaseType::Other => one(
                &mut self.rng,
                &[
                    "咨询灵活就业人员社保缴纳问题",
                    "咨询工会会员服务卡办理",
                    "咨询子女入学积分政策",
                ],
            )
            .to_owned(),
        }
    }

    pub(super) fn intake_note(
        &mut self,
        t: CaseType,
        h: Option<HardshipKind>,
        resp: &str,
        n: usize,
    ) -> String {
        match t {
            CaseType::WageArrears if n > 1 => {
                format!("{n}名工人来站反映{resp}拖欠工资，已登记考勤记录、工资条和聊天记录截图")
            }
            CaseType::WageArrears => {
                "当事人来站反映被拖欠工资，已登记劳动合同、工资流水等材料".to_owned()
            }
            CaseType::LabourDispute => "受理调解申请，已告知双方调解程序及权利义务".to_owned(),
            CaseType::WorkInjury => {
                "已协助整理就医记录和事故经过，告知工伤认定申请时限为一年".to_owned()
            }
            CaseType::LegalAid => "已登记法律援助申请，收取身份证复印件及经济困难说明".to_owned(),
            CaseType::Hardship => match h {
                Some(HardshipKind::Medical) => {
                    "已收取诊断证明及医疗费票据，上报区总工会".to_owned()
                }
                Some(HardshipKind::Education) => "已收取录取通知书及家庭收入证明".to_owned(),
                _ => "上门走访核实家庭情况，符合帮扶条件".to_owned(),
            },
            CaseType::EmergencyRelief => "情况紧急，站长已同意先行发放应急救助金".to_owned(),
            CaseType::Psychological => "已预约心理咨询师，告知来访时间".to_owned(),
            CaseType::Other => "已登记，待核实相关政策后答复".to_owned(),
        }
    }

    pub(super) fn progress_note(&mut self, t: CaseType, resp: &str) -> String {
        match t {
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury => {
                match self.rng.random_range(0..4) {
                    0 => "已联系用人单位，对方承诺月底前支付".to_owned(),
                    1 => format!("已与{resp}负责人电话沟通，对方称资金周转困难，约定下周面谈"),
                    2 => "组织双方在驿站调解室面谈，对方同意核对工资明细".to_owned(),
                    _ => format!("已向劳动保障监察大队反映{resp}欠薪情况"),
                }
            }
            CaseType::Psychological => "咨询师已进行首次疏导，建议每两周一次".to_owned(),
            _ => one(
                &mut self.rng,
                &[
                    "材料已齐全，报区总工会审批",
                    "已电话联系当事人补充材料",
                    "已与社区联系，了解家庭情况",
                ],
            )
            .to_owned(),
        }
    }

    pub(super) fn waiting_note(&mut self, referral: Option<Referral>) -> String {
        match referral {
            Some(Referral::Arbitration) => "已协助申请劳动仲裁，等待仲裁委受理".to_owned(),
            Some(Referral::Court) => "已协助向人民法院起诉，等待开庭".to_owned(),
            Some(Referral::LegalAidCentre) => "已转介法律援助中心，等待指派律师".to_owned(),
            Some(Referral::LabourInspection) => "已移送劳动保障监察，等待责令整改结果".to_owned(),
            _ => one(
                &mut self.rng,
                &[
                    "等待对方提供工资发放记录",
                    "等待区总工会审批结果",
                    "对方负责人出差，约定回来后再谈",
                ],
            )
            .to_owned(),
        }
    }
}

/// The months of unpaid wages before a case opened in `opened`, as written
/// in a summary: `2026年3月至5月`, `2025年12月至2026年2月`, `2026年10月`.
pub(super) fn unpaid(opened: NaiveDate, months: i64) -> String {
    let last = opened - Duration::days(30);
    let first = last - Duration::days(30 * (months - 1).max(0));
    if (first.year(), first.month()) == (last.year(), last.month()) {
        format!("{}年{}月", last.year(), last.month())
    } else if first.year() == last.year() {
        format!("{}年{}月至{}月", first.year(), first.month(), last.month())
    } else {
        format!(
            "{}年{}月至{}年{}月",
            first.year(),
            first.month(),
            last.year(),
            last.month()
        )
    }
}

pub(super) fn yuan(f: Fen) -> String {
    format!("{}元", f.yuan_string())
}
