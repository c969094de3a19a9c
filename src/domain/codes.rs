//! Enumerations with a stable storage code and labels in both languages.

/// Defines an enum whose variants each have a stable code (stored in the
/// database and in the operation log, so never renamed) and a label in
/// Chinese and English.
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $var:ident = $code:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vm])* $var,)* }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [$name] = &[$($name::$var,)*];

            /// The stable code kept in storage and in sync files.
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code,)* }
            }

            /// Reads a stored code.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$var),)* _ => None }
            }

            /// The label shown to users.
            pub fn label(self, lang: $crate::i18n::Lang) -> &'static str {
                match self { $($name::$var => lang.pick($zh, $en),)* }
            }

            /// The Chinese label of a code (for messages that carry codes).
            pub fn zh_of(code: &str) -> &'static str {
                Self::from_code(code).map_or("?", |v| v.label($crate::i18n::Lang::ZhCn))
            }

            /// The English label of a code (for messages that carry codes).
            pub fn en_of(code: &str) -> &'static str {
                Self::from_code(code).map_or("?", |v| v.label($crate::i18n::Lang::En))
            }
        }
    };
}
