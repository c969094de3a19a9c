//! The steps of a case after it opens: handler, amounts, where it ends up,
//! resolution or closing, and timeline notes.

use rand::Rng;

use super::cases::{CaseCx, Plan};
use super::data::{CLOSE_REASONS, REFERRALS, Table, one};
use super::texts::yuan;
use super::{Gen, time};
use crate::domain::Fen;
use crate::domain::case::{CaseType, CloseReason, Outcome, Referral};
use crate::domain::ids::{CaseId, NoteId, StaffId};
use crate::domain::staff::Role;
use crate::store::StatusChange;
use crate::store::{Result, Writer};

impl Gen {
    pub(super) fn handler(&mut self, cx: &CaseCx<'_>, case_type: CaseType) -> StaffId {
        let psych = matches!(case_type, CaseType::Psychological);
        let pool: Vec<StaffId> = cx
            .handlers
            .iter()
            .filter(|(_, r)| psych || *r != Role::Counsellor)
            .map(|(id, _)| *id)
            .collect();
        if pool.is_empty() {
            cx.handlers[0].0
        } else {
            one(&mut self.rng, &pool)
        }
    }

    /// Fen owed for about `yuan` of wages, within `lo..=hi` yuan: whole
    /// yuan mostly, sometimes with fen.
    pub(super) fn wages(&mut self, yuan: i64, lo: i64, hi: i64) -> i64 {
        let fen = if self.rng.random_bool(0.15) {
            self.rng.random_range(1..100)
        } else {
            0
        };
        yuan.clamp(lo, hi) * 100 + fen
    }

    /// Whole yuan mostly, sometimes with fen, between two amounts in yuan.
    pub(super) fn amount(&mut self, lo: i64, hi: i64) -> i64 {
        // Skewed towards the lower end, as most claims are a few months' pay.
        let u: f64 = self.rng.random::<f64>().powf(1.7);
        let y = lo + ((hi - lo) as f64 * u) as i64;
        let y = if y >= 5_000 && self.rng.random_bool(0.6) {
            y / 100 * 100
        } else {
            y
        };
        let fen = if self.rng.random_bool(0.15) {
            self.rng.random_range(1..100)
        } else {
            0
        };
        y * 100 + fen
    }

    pub(super) fn plan(&mut self, age: i64) -> Plan {
        let weights: &[(Plan, u32)] = if age < 7 {
            &[
                (Plan::New, 55),
                (Plan::InProgress, 30),
                (Plan::Waiting, 10),
                (Plan::Closed, 5),
            ]
        } else if age < 60 {
            &[
                (Plan::New, 8),
                (Plan::InProgress, 34),
                (Plan::Waiting, 25),
                (Plan::Resolved, 22),
                (Plan::Closed, 8),
                (Plan::Reopened, 3),
            ]
        } else {
            &[
                (Plan::New, 2),
                (Plan::InProgress, 12),
                (Plan::Waiting, 12),
                (Plan::Resolved, 53),
                (Plan::Closed, 16),
                (Plan::Reopened, 5),
            ]
        };
        Table::new(weights).pick(&mut self.rng)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn resolve(
        &mut self,
        w: &mut Writer<'_>,
        id: CaseId,
        case_type: CaseType,
        claimed: Fen,
        referral: Option<Referral>,
        at: i64,
        notes_left: &mut u32,
    ) -> Result<()> {
        let outcome = match case_type {
            CaseType::WageArrears | CaseType::LabourDispute | CaseType::WorkInjury => {
                if matches!(referral, Some(Referral::Arbitration | Referral::Court)) {
                    Outcome::Award
                } else {
                    Table::new(&[
                        (Outcome::Agreement, 50),
                        (Outcome::Recovered, 40),
                        (Outcome::Award, 10),
                    ])
                    .pick(&mut self.rng)
                }
            }
            CaseType::LegalAid => one(
                &mut self.rng,
                &[Outcome::Agreement, Outcome::Award, Outcome::Other],
            ),
            CaseType::Other => Outcome::Other,
            _ => Outcome::Assisted,
        };
        let pct = match outcome {
            Outcome::Agreement => self.rng.random_range(55..=100),
            Outcome::Recovered => {
                if self.rng.random_bool(0.7) {
                    100
                } else {
                    self.rng.random_range(80..100)
                }
            }
            Outcome::Award => self.rng.random_range(85..=100),
            _ => 0,
        };
        let recovered = if pct == 100 {
            claimed
        } else {
            Fen(claimed.0 * pct / 100 / 100 * 100)
        };
        w.set_status(id, StatusChange::Resolve { outcome, recovered }, time(at))?;
        let text = match outcome {
            Outcome::Agreement => format!(
                "{}，对方已支付{}",
                one(
                    &mut self.rng,
                    &[
                        "双方在驿站调解室达成调解协议",
                        "经街道人民调解委员会调解，双方达成协议",
                        "双方签订分期付款调解协议"
                    ]
                ),
                yuan(recovered)
            ),
            Outcome::Recovered => format!("款项{}已全部追回，工人已确认收到", yuan(recovered)),
            Outcome::Award => format!("仲裁裁决支持工人请求，已执行到位{}", yuan(recovered)),
            Outcome::Assisted => one(
                &mut self.rng,
                &[
                    "帮扶物资已送达，工会慰问金已发放",
                    "已协调医疗救助资金，当事人表示感谢",
                    "已对接就业岗位，当事人已上岗",
                    "已安排心理咨询师跟进，情绪明显好转",
                ],
            )
            .to_owned(),
            _ => "已为当事人解答并协助办理，事项已办结".to_owned(),
        };
        self.note(w, id, at + 60_000, &text, notes_left)
    }

    pub(super) fn close(
        &mut self,
        w: &mut Writer<'_>,
        id: CaseId,
        at: i64,
        notes_left: &mut u32,
    ) -> Result<()> {
        let reason = Table::new(CLOSE_REASONS).pick(&mut self.rng);
        if reason == CloseReason::Transferred {
            let r = Table::new(REFERRALS).pick(&mut self.rng);
            w.refer(id, Some(r))?;
        }
        w.set_status(id, StatusChange::Close { reason }, time(at))?;
        let text = match reason {
            CloseReason::Withdrawn => "当事人表示已与公司自行协商解决，申请撤回",
            CloseReason::Unreachable => "多次电话联系无人接听，短信未回复，暂停处理",
            CloseReason::NotPursued => "经核实不属于劳动关系纠纷，已告知其他解决途径",
            CloseReason::Transferred => "已移交相关部门处理，本站不再跟进",
            CloseReason::Other => "当事人已离开本市，案件关闭",
        };
        self.note(w, id, at + 60_000, text, notes_left)
    }

    /// Appends a note while the case's quota of notes lasts.
    pub(super) fn note(
        &mut self,
        w: &mut Writer<'_>,
        case: CaseId,
        at: i64,
        text: &str,
        left: &mut u32,
    ) -> Result<()> {
        if *left == 0 {
            return Ok(());
        }
        *left -= 1;
        let id = NoteId(self.uuid_at(at.min(self.now_ms)));
        w.add_note_with_id(id, case, text)?;
        Ok(())
    }
}
