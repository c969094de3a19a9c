//! Languages the product speaks. The full console catalogue arrives with the
//! console; the domain already words its validation errors in both.

pub mod catalogue;

use std::fmt;

pub use catalogue::{person_name, text};

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from a POSIX locale string such as `zh_CN.UTF-8`.
    /// Chinese locales give zh-CN, anything else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The language of this process: `LC_ALL`, then `LC_MESSAGES`, then `LANG`.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return Lang::from_locale(&v);
            }
        }
        Lang::En
    }

    /// Chooses between a Chinese and an English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// Something that can be said to a user in either language.
pub trait Localized {
    /// The text in `lang`.
    fn localized(&self, lang: Lang) -> String;
}

/// Shows a [`Localized`] value in a fixed language (used for `Display`).
pub struct In<'a, T: Localized>(pub &'a T, pub Lang);

impl<T: Localized> fmt::Display for In<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.localized(self.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("zh_TW"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
    }
}
