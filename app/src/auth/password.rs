//! Password hashing with argon2id at OWASP's recommended parameters
//! (19 MiB memory, 2 iterations, 1 lane). Hashing is CPU-heavy, so callers run it
//! through [`crate::state::AppState::hash_blocking`], off the async threads and bounded.

use argon2::password_hash::{self, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

use crate::error::{AppError, WeakReason};

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

fn argon2id() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Whether a new password is hard enough to guess: the `zxcvbn` estimator (with
/// the person's name and employee number as words a guesser would try first) must
/// put it past about 10^10 guesses. `None` when it is; else the main reason.
pub fn weakness(password: &str, personal: &[&str]) -> Option<WeakReason> {
    use zxcvbn::feedback::Warning;
    let lowered = password.to_lowercase();
    let personal: Vec<String> = personal
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| p.chars().count() >= 2)
        .collect();
    if personal.iter().any(|p| lowered.contains(p.as_str())) {
        return Some(WeakReason::Personal);
    }
    let inputs: Vec<&str> = personal.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() >= zxcvbn::Score::Three {
        return None;
    }
    let reason = match estimate.feedback().and_then(|f| f.warning()) {
        Some(
            Warning::ThisIsACommonPassword
            | Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsSimilarToACommonlyUsedPassword,
        ) => WeakReason::Common,
        Some(
            Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess
            | Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess
            | Warning::SequencesLikeAbcAreEasyToGuess,
        ) => WeakReason::Pattern,
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
            WeakReason::Dates
        }
        Some(
            Warning::AWordByItselfIsEasyToGuess
            | Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
            | Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ) => WeakReason::Word,
        _ => WeakReason::Guessable,
    };
    Some(reason)
}

/// A stored password hash (argon2id, PHC format). It cannot be serialised and
/// prints as `PasswordHash(..)`, so it never reaches a page, a log line or an audit
/// entry by accident.
#[derive(Clone, PartialEq, Eq, sea_orm::DeriveValueType)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl PasswordHash {
    /// The PHC string, for checking a password against.
    fn phc(&self) -> &str {
        &self.0
    }
}

/// A PHC-format argon2id hash of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<PasswordHash, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2id()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(AppError::internal)
}

/// True when `password` matches `stored`. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &PasswordHash) -> bool {
    let Ok(parsed) = password_hash::PasswordHash::new(stored.phc()) else {
        return false;
    };
    argon2id()
        .map(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the employee number is
/// unknown so that both failures take the same time.
pub fn decoy_hash() -> &'static PasswordHash {
    static DECOY: std::sync::OnceLock<PasswordHash> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let random: String = uuid::Uuid::new_v4().to_string();
        hash(&random).unwrap_or_else(|_| PasswordHash(String::new()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify_round_trips() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(format!("{phc:?}"), "PasswordHash(..)", "never printed");
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse battery!", &phc));
    }

    #[test]
    fn same_password_gets_different_salts() {
        assert_ne!(hash("same").unwrap(), hash("same").unwrap());
    }

    #[test]
    fn guessable_passwords_are_refused_with_a_reason() {
        let me = ["李娜", "S0001", "Li Na"];
        let cases = [
            ("password123", Some(WeakReason::Common)),
            ("qwertyuiop", Some(WeakReason::Common)),
            ("aaaaaaaaaaaa", Some(WeakReason::Pattern)),
            ("19870615", Some(WeakReason::Dates)),
            ("s0001-2026!", Some(WeakReason::Personal)),
            ("Li Na walks to the river", Some(WeakReason::Personal)),
            ("李娜的密码一二三", Some(WeakReason::Personal)),
            ("correct horse battery staple", None),
            ("窗口服务 tea kettle 47 bridges", None),
        ];
        for (password, expected) in cases {
            assert_eq!(weakness(password, &me), expected, "{password:?}");
        }
        // Without personal words the same password passes.
        assert_eq!(weakness("Li Na walks to the river", &[]), None);
    }

    #[test]
    fn malformed_hash_never_verifies() {
        assert!(!verify("anything", &PasswordHash("not a hash".into())));
        assert!(!verify("", &PasswordHash(String::new())));
    }
}
