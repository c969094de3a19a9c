//! The keys of the check-in pane, and the short labels of services and
//! trades shown beside their keys.

use ratatui::crossterm::event::KeyCode;

use crate::domain::person::Trade;
use crate::domain::visit::Service;
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key, bind};

/// Scopes of the pane's keys.
pub const FORM: &str = "checkin.form";
pub const FIND: &str = "checkin.find";
pub const CHOICE: &str = "checkin.choice";
pub const SERVICES: &str = "checkin.services";
pub const LIST: &str = "checkin.list";

/// The key of each service on the services row, in `Service::ALL` order.
pub const SERVICE_KEYS: [char; 11] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'a'];
const SERVICE_HELP: [&str; 11] = [
    "checkin.svc_key.rest",
    "checkin.svc_key.water",
    "checkin.svc_key.charging",
    "checkin.svc_key.meal_heating",
    "checkin.svc_key.restroom",
    "checkin.svc_key.first_aid",
    "checkin.svc_key.health_check",
    "checkin.svc_key.legal",
    "checkin.svc_key.counselling",
    "checkin.svc_key.union_enrolment",
    "checkin.svc_key.mutual_aid",
];

/// The tally key of each trade in the list, in `Trade::ALL` order.
pub const TRADE_KEYS: [char; 10] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const TALLY_HELP: [&str; 10] = [
    "checkin.tally_key.courier",
    "checkin.tally_key.food_delivery",
    "checkin.tally_key.ride_hail",
    "checkin.tally_key.truck",
    "checkin.tally_key.sanitation",
    "checkin.tally_key.construction",
    "checkin.tally_key.landscaping",
    "checkin.tally_key.security",
    "checkin.tally_key.home_service",
    "checkin.tally_key.other",
];

/// The pane's key bindings.
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let mut b = vec![
        bind(FIND, &[p(Up)], Action::Up, "key.up", false),
        bind(FIND, &[p(Down)], Action::Down, "key.down", false),
        bind(FIND, &[p(Enter)], Action::Confirm, "checkin.pick", true),
        bind(SERVICES, &[p(Enter)], Action::Save, "checkin.save", true),
        bind(
            CHOICE,
            &[Key::ch(' ')],
            Action::Cmd("checkin.toggle"),
            "checkin.toggle",
            false,
        ),
        bind(FORM, &[Key::ctrl('s')], Action::Save, "checkin.save", true),
        bind(FORM, &[p(Enter)], Action::Confirm, "checkin.enter", false),
        bind(FORM, &[p(Esc)], Action::Back, "checkin.to_list", true),
        bind(
            FORM,
            &[Key::ctrl('r')],
            Action::Cmd("checkin.unmask"),
            "checkin.unmask",
            false,
        ),
        bind(
            FORM,
            &[Key::ctrl('n')],
            Action::Cmd("checkin.clear"),
            "checkin.clear",
            false,
        ),
        bind(
            LIST,
            &[Key::ch('l')],
            Action::Cmd("checkin.leave"),
            "checkin.leave",
            true,
        ),
        bind(
            LIST,
            &[Key::ch('u')],
            Action::Cmd("checkin.undo"),
            "checkin.undo",
            true,
        ),
        bind(
            LIST,
            &[Key::ch('i'), p(Enter)],
            Action::Cmd("checkin.to_form"),
            "checkin.to_form",
            true,
        ),
    ];
    for (n, (k, help)) in SERVICE_KEYS.iter().zip(SERVICE_HELP).enumerate() {
        b.push(bind(
            SERVICES,
            &[Key::ch(*k)],
            Action::CmdN("checkin.service", n as u8),
            help,
            false,
        ));
    }
    for (n, (k, help)) in TRADE_KEYS.iter().zip(TALLY_HELP).enumerate() {
        b.push(bind(
            LIST,
            &[Key::ch(*k)],
            Action::CmdN("checkin.tally", n as u8),
            help,
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
    fn every_service_and_trade_has_a_key() {
        assert_eq!(SERVICE_KEYS.len(), Service::ALL.len());
        assert_eq!(TRADE_KEYS.len(), Trade::ALL.len());
        for (s, help) in Service::ALL.iter().zip(SERVICE_HELP) {
            assert_eq!(help.rsplit('.').next(), Some(s.code()));
        }
        for (t, help) in Trade::ALL.iter().zip(TALLY_HELP) {
            assert_eq!(help.rsplit('.').next(), Some(t.code()));
        }
    }
}
