//! A helper for closed sets of values that travel as snake_case strings.

/// Declares an enum with serde snake_case names, an `ALL` list, `as_str`
/// returning the wire name, and `FromStr` refusing unknown names with
/// `InvalidField`.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case wire name, identical to the serde form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::DomainError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let known: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::error::DomainError::new(
                        $crate::error::ErrorCode::InvalidField,
                        format!("{} {s:?} is not one of {}", $what, known.join(", ")),
                    )
                })
            }
        }
    };
}

/// Declares a feature's typed aggregate address `<prefix>:<id>`: a newtype over an id that
/// prints itself and parses back through [`crate::sync::parse_address`], so that no feature
/// formats or splits addresses by hand.
macro_rules! aggregate_address {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($id:ty) = $prefix:literal;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub $id);

        impl $name {
            /// The part before the colon.
            pub const PREFIX: &'static str = $prefix;
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}:{}", Self::PREFIX, self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::DomainError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::sync::parse_address(Self::PREFIX, text).map(|id| Self(<$id>::from(id)))
            }
        }
    };
}

/// Asserts, in tests, that every value's `as_str` is what serde reads.
#[cfg(test)]
macro_rules! assert_wire_names_match_serde {
    ($name:ty) => {{
        use serde::Deserialize as _;
        use serde::de::IntoDeserializer as _;
        for &value in <$name>::ALL {
            let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
                value.as_str().into_deserializer();
            assert_eq!(<$name>::deserialize(de), Ok(value));
            assert_eq!(value.as_str().parse::<$name>(), Ok(value));
        }
    }};
}
