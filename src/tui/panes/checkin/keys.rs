//! The keys of the check-in pane, and the short labels of services and
//! trades shown beside their keys.

use ratatui::crossterm::event::KeyCode;

use crate::domain::person::Trade;
use crate::domain::visit::Service;
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, commands};
use crate::tui::keymap::{Binding, Key, bind, bind_cmd};

commands! {
    /// The check-in pane's single-key commands.
    pub enum Cmd {
        /// Tick the focused choice of the form.
        Toggle = "checkin.toggle",
        /// Show the found person's number in full.
        Unmask = "checkin.unmask",
        /// Use the registered worker the form says the new person may be.
        UseLikely = "checkin.use_likely",
        /// Empty the form.
        Clear = "checkin.clear",
        /// Mark the selected visitor as leaving.
        Leave = "checkin.leave",
        /// Undo the last count or leaving.
        Undo = "checkin.undo",
        /// From the list to the form.
        ToForm = "checkin.to_form",
        /// Open the tally row (anonymous counts by trade).
        OpenTally = "checkin.open_tally",
        /// In the tally row: choose the services of the next counts.
        TallyServices = "checkin.tally_services",
        /// Back: from the tally row's services to counting, from the
        /// tally row to the list.
        CloseTally = "checkin.close_tally",
    }
    with {
        /// Tick or untick a service of the visit.
        Service(Service) in Service::ALL => service_key,
        /// Count one anonymous visitor of a trade.
        Tally(Trade) in Trade::ALL => tally_key,
        /// Choose the trade in the form's trade field by its key.
        PickTrade(Trade) in Trade::ALL => trade_word,
    }
}

/// Scopes of the pane's keys.
pub const FORM: &str = "checkin.form";
pub const FIND: &str = "checkin.find";
pub const CHOICE: &str = "checkin.choice";
/// The form's trade field: its keys pick a trade (1–9, a).
pub const TRADE_FIELD: &str = "checkin.trade";
pub const SERVICES: &str = "checkin.services";
pub const LIST: &str = "checkin.list";
/// The tally row: digits count one anonymous visitor of a trade.
pub const TALLY: &str = "checkin.tally";
/// The tally row's services: the services row's keys toggle them.
pub const TALLY_SERVICES: &str = "checkin.tally_services";

/// The key of each service on the services row, in `Service::ALL` order:
/// the kiosk's keys for the same services (1–9, then A, B), so a worker and
/// a clerk press the same key for the same service.
pub const SERVICE_KEYS: [char; 11] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b'];

/// The tally key of each trade in the tally row, in `Trade::ALL` order:
/// the kiosk's keys for the same trades (1–9, then A).
pub const TRADE_KEYS: [char; 10] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a'];

/// The catalogue key of a service's key.
fn service_key(s: Service) -> &'static str {
    match s {
        Service::Rest => "checkin.svc_key.rest",
        Service::Water => "checkin.svc_key.water",
        Service::Charging => "checkin.svc_key.charging",
        Service::MealHeating => "checkin.svc_key.meal_heating",
        Service::Restroom => "checkin.svc_key.restroom",
        Service::FirstAid => "checkin.svc_key.first_aid",
        Service::HealthCheck => "checkin.svc_key.health_check",
        Service::LegalConsultation => "checkin.svc_key.legal",
        Service::Counselling => "checkin.svc_key.counselling",
        Service::UnionEnrolment => "checkin.svc_key.union_enrolment",
        Service::MutualAid => "checkin.svc_key.mutual_aid",
    }
}

/// The catalogue key of a trade's short name (the words of its key in the
/// form's trade field).
fn trade_word(t: Trade) -> &'static str {
    match t {
        Trade::Courier => "checkin.trade.courier",
        Trade::FoodDelivery => "checkin.trade.food_delivery",
        Trade::RideHail => "checkin.trade.ride_hail",
        Trade::Truck => "checkin.trade.truck",
        Trade::Sanitation => "checkin.trade.sanitation",
        Trade::Construction => "checkin.trade.construction",
        Trade::Landscaping => "checkin.trade.landscaping",
        Trade::Security => "checkin.trade.security",
        Trade::HomeService => "checkin.trade.home_service",
        Trade::Other => "checkin.trade.other",
    }
}

/// The catalogue key of a trade's tally key.
fn tally_key(t: Trade) -> &'static str {
    match t {
        Trade::Courier => "checkin.tally_key.courier",
        Trade::FoodDelivery => "checkin.tally_key.food_delivery",
        Trade::RideHail => "checkin.tally_key.ride_hail",
        Trade::Truck => "checkin.tally_key.truck",
        Trade::Sanitation => "checkin.tally_key.sanitation",
        Trade::Construction => "checkin.tally_key.construction",
        Trade::Landscaping => "checkin.tally_key.landscaping",
        Trade::Security => "checkin.tally_key.security",
        Trade::HomeService => "checkin.tally_key.home_service",
        Trade::Other => "checkin.tally_key.other",
    }
}

/// The pane's key bindings.
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let mut b = vec![
        bind(FIND, &[p(Up)], Action::Up, "key.up", false),
        bind(FIND, &[p(Down)], Action::Down, "key.down", false),
        bind(FIND, &[p(Enter)], Action::Confirm, "checkin.pick", true),
        bind(SERVICES, &[p(Enter)], Action::Save, "checkin.save", true),
        bind_cmd(CHOICE, &[Key::ch(' ')], Cmd::Toggle, false),
        bind(FORM, &[Key::ctrl('s')], Action::Save, "checkin.save", true),
        bind(FORM, &[p(Enter)], Action::Confirm, "checkin.enter", false),
        bind(FORM, &[p(Esc)], Action::Back, "checkin.to_list", true),
        bind_cmd(FORM, &[Key::ctrl('r')], Cmd::Unmask, false),
        bind_cmd(FORM, &[Key::ctrl('p')], Cmd::UseLikely, false),
        bind_cmd(FORM, &[Key::ctrl('n')], Cmd::Clear, false),
        bind_cmd(FORM, &[Key::ctrl('t')], Cmd::OpenTally, false),
        bind_cmd(LIST, &[Key::ch('l')], Cmd::Leave, true),
        bind_cmd(LIST, &[Key::ch('u')], Cmd::Undo, true),
        bind_cmd(LIST, &[Key::ch('t')], Cmd::OpenTally, true),
        bind_cmd(LIST, &[Key::ch('i'), p(Enter)], Cmd::ToForm, true),
        bind_cmd(TALLY, &[Key::ch('s')], Cmd::TallyServices, true),
        bind_cmd(TALLY, &[Key::ch('u')], Cmd::Undo, true),
        bind_cmd(TALLY, &[p(Esc)], Cmd::CloseTally, true),
        bind_cmd(
            TALLY_SERVICES,
            &[p(Enter), p(Esc), Key::ch('s')],
            Cmd::CloseTally,
            true,
        ),
    ];
    for (k, s) in SERVICE_KEYS.iter().zip(Service::ALL) {
        b.push(bind_cmd(SERVICES, &[Key::ch(*k)], Cmd::Service(*s), false));
    }
    // Digits count only in the tally row, opened on purpose (`t`): typed
    // in the list, they go to Find.
    for (k, t) in TRADE_KEYS.iter().zip(Trade::ALL) {
        b.push(bind_cmd(TALLY, &[Key::ch(*k)], Cmd::Tally(*t), false));
    }
    // The same keys choose the trade in the form's trade field.
    for (k, t) in TRADE_KEYS.iter().zip(Trade::ALL) {
        b.push(bind_cmd(
            TRADE_FIELD,
            &[Key::ch(*k)],
            Cmd::PickTrade(*t),
            false,
        ));
    }
    // The same keys as the services row of the form.
    for (k, s) in SERVICE_KEYS.iter().zip(Service::ALL) {
        b.push(bind_cmd(
            TALLY_SERVICES,
            &[Key::ch(*k)],
            Cmd::Service(*s),
            false,
        ));
    }
    b
}

/// A short label of a service for the key rows and the list.
pub fn service_short(s: Service, lang: Lang) -> &'static str {
    match s {
        Service::Rest => t!(lang, "checkin.svc.rest"),
        Service::Water => t!(lang, "checkin.svc.water"),
        Service::Charging => t!(lang, "checkin.svc.charging"),
        Service::MealHeating => t!(lang, "checkin.svc.meal_heating"),
        Service::Restroom => t!(lang, "checkin.svc.restroom"),
        Service::FirstAid => t!(lang, "checkin.svc.first_aid"),
        Service::HealthCheck => t!(lang, "checkin.svc.health_check"),
        Service::LegalConsultation => t!(lang, "checkin.svc.legal"),
        Service::Counselling => t!(lang, "checkin.svc.counselling"),
        Service::UnionEnrolment => t!(lang, "checkin.svc.union_enrolment"),
        Service::MutualAid => t!(lang, "checkin.svc.mutual_aid"),
    }
}

/// A short label of a trade for the tally row and the list.
pub fn trade_short(t: Trade, lang: Lang) -> &'static str {
    match t {
        Trade::Courier => t!(lang, "checkin.trade.courier"),
        Trade::FoodDelivery => t!(lang, "checkin.trade.food_delivery"),
        Trade::RideHail => t!(lang, "checkin.trade.ride_hail"),
        Trade::Truck => t!(lang, "checkin.trade.truck"),
        Trade::Sanitation => t!(lang, "checkin.trade.sanitation"),
        Trade::Construction => t!(lang, "checkin.trade.construction"),
        Trade::Landscaping => t!(lang, "checkin.trade.landscaping"),
        Trade::Security => t!(lang, "checkin.trade.security"),
        Trade::HomeService => t!(lang, "checkin.trade.home_service"),
        Trade::Other => t!(lang, "checkin.trade.other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_and_the_kiosk_press_the_same_keys() {
        for (i, k) in SERVICE_KEYS.iter().enumerate() {
            assert_eq!(
                crate::tui::widgets::choice_key(i).to_ascii_lowercase(),
                *k,
                "service {i}"
            );
        }
        for (i, k) in TRADE_KEYS.iter().enumerate() {
            assert_eq!(
                crate::tui::widgets::choice_key(i).to_ascii_lowercase(),
                *k,
                "trade {i}"
            );
        }
    }

    #[test]
    fn every_service_and_trade_has_a_key() {
        assert_eq!(SERVICE_KEYS.len(), Service::ALL.len());
        assert_eq!(TRADE_KEYS.len(), Trade::ALL.len());
        for s in Service::ALL {
            let help = Cmd::Service(*s).key();
            assert_eq!(help, format!("checkin.svc_key.{}", s.code()));
        }
        for t in Trade::ALL {
            let help = Cmd::Tally(*t).key();
            assert_eq!(help, format!("checkin.tally_key.{}", t.code()));
        }
    }
}
