//! Staff members and volunteers who use the console.

use super::error::{Field, ValidationError};
use super::ids::StaffId;
use super::text::clean_text;

crate::code_enum! {
    /// What a staff member may do.
    pub enum Role {
        Volunteer = "volunteer", "志愿者", "Volunteer";
        Staff = "staff", "工作人员", "Staff";
        Counsellor = "counsellor", "咨询师", "Counsellor";
        Admin = "admin", "管理员", "Administrator";
    }
}

/// A staff member or volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// Checks a staff member's name.
pub fn parse_staff_name(input: &str) -> Result<String, ValidationError> {
    clean_text(Field::StaffName, input, 50)
}

/// Shortest and longest PIN, in digits.
pub const PIN_MIN: usize = 4;
pub const PIN_MAX: usize = 8;

/// Checks a PIN as typed: 4 to 8 ASCII digits, nothing else.
pub fn parse_pin(input: &str) -> Result<&str, ValidationError> {
    if input.is_empty() {
        return Err(ValidationError::PinEmpty);
    }
    if !input.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValidationError::PinNotDigits);
    }
    let len = input.len();
    if !(PIN_MIN..=PIN_MAX).contains(&len) {
        return Err(ValidationError::PinLength { len });
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
            assert!(!r.label(Lang::ZhCn).is_empty());
        }
        assert_eq!(Role::from_code("boss"), None);
    }

    #[test]
    fn staff_names() {
        assert_eq!(parse_staff_name(" 李 华 ").unwrap(), "李 华");
        assert!(parse_staff_name("").is_err());
    }

    #[test]
    fn pins() {
        assert_eq!(parse_pin("2468"), Ok("2468"));
        assert_eq!(parse_pin("12345678"), Ok("12345678"));
        assert_eq!(parse_pin(""), Err(ValidationError::PinEmpty));
        assert_eq!(parse_pin("12a4"), Err(ValidationError::PinNotDigits));
        assert_eq!(parse_pin("１２３４"), Err(ValidationError::PinNotDigits));
        assert_eq!(parse_pin("123"), Err(ValidationError::PinLength { len: 3 }));
        assert_eq!(
            parse_pin("123456789"),
            Err(ValidationError::PinLength { len: 9 })
        );
    }
}
