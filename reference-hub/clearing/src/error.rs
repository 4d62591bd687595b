//! Errors of the clearing crate, each with a stable machine code.

use thiserror::Error;

/// Why a clearing input was rejected or a clearing result failed verification.
///
/// The `code()` strings are stable and shared with the hub's problem documents and the SDKs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ClearingError {
    /// A debt whose debtor and creditor are the same participant; it has no meaning.
    #[error("participant {participant} cannot owe itself (debt index {index:?})")]
    SelfDebt {
        /// Index of the offending debt in the input; `None` for a [`crate::DebtGraph`] update.
        index: Option<usize>,
        /// The participant on both ends.
        participant: u32,
    },
    /// The clearing has a different number of set-offs than there are debts.
    #[error("clearing has {actual} set-offs for {expected} debts")]
    LengthMismatch {
        /// Number of debts.
        expected: usize,
        /// Number of set-offs in the clearing.
        actual: usize,
    },
    /// A set-off larger than the debt it sets off (a debt would turn negative).
    #[error("debt {index}: set-off {set_off} exceeds the debt {amount}")]
    SetOffExceedsDebt {
        /// Index of the debt.
        index: usize,
        /// The set-off claimed.
        set_off: u64,
        /// The debt amount.
        amount: u64,
    },
    /// A participant's net position would change: set-off as creditor differs from set-off as debtor.
    #[error(
        "participant {participant}: net position would change \
         (set off as creditor {as_creditor}, as debtor {as_debtor})"
    )]
    NetPositionChanged {
        /// The participant.
        participant: u32,
        /// Total set off on debts owed to the participant.
        as_creditor: u128,
        /// Total set off on debts the participant owes.
        as_debtor: u128,
    },
    /// The clearing's total is not the sum of its set-offs.
    #[error("claimed total {claimed} differs from the sum of set-offs {actual}")]
    TotalMismatch {
        /// The total stated in the clearing.
        claimed: u128,
        /// The sum of the per-debt set-offs.
        actual: u128,
    },
    /// A debt between two participants would exceed `u64::MAX` minor units.
    #[error("debt {debtor}->{creditor} would overflow u64")]
    AmountOverflow {
        /// The debtor.
        debtor: u32,
        /// The creditor.
        creditor: u32,
    },
    /// More debts or participants than the solver's `u32` indices can address.
    #[error("input too large: {debts} debts")]
    TooLarge {
        /// Number of debts passed in.
        debts: usize,
    },
    /// A local-pass cycle length limit below 2 (no cycle could ever be found).
    #[error("maximum cycle length {max_len} must be at least 2")]
    InvalidCycleLength {
        /// The rejected limit.
        max_len: usize,
    },
}

impl ClearingError {
    /// Stable machine code of the error, e.g. `"E_CLEARING_SELF_DEBT"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SelfDebt { .. } => "E_CLEARING_SELF_DEBT",
            Self::LengthMismatch { .. } => "E_CLEARING_LENGTH_MISMATCH",
            Self::SetOffExceedsDebt { .. } => "E_CLEARING_SET_OFF_EXCEEDS_DEBT",
            Self::NetPositionChanged { .. } => "E_CLEARING_NET_POSITION_CHANGED",
            Self::TotalMismatch { .. } => "E_CLEARING_TOTAL_MISMATCH",
            Self::AmountOverflow { .. } => "E_CLEARING_AMOUNT_OVERFLOW",
            Self::TooLarge { .. } => "E_CLEARING_TOO_LARGE",
            Self::InvalidCycleLength { .. } => "E_CLEARING_INVALID_CYCLE_LENGTH",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let all = [
            ClearingError::SelfDebt {
                index: Some(0),
                participant: 1,
            },
            ClearingError::LengthMismatch {
                expected: 1,
                actual: 2,
            },
            ClearingError::SetOffExceedsDebt {
                index: 0,
                set_off: 2,
                amount: 1,
            },
            ClearingError::NetPositionChanged {
                participant: 0,
                as_creditor: 1,
                as_debtor: 0,
            },
            ClearingError::TotalMismatch {
                claimed: 1,
                actual: 0,
            },
            ClearingError::AmountOverflow {
                debtor: 0,
                creditor: 1,
            },
            ClearingError::TooLarge { debts: 0 },
            ClearingError::InvalidCycleLength { max_len: 1 },
        ];
        let mut codes: Vec<_> = all.iter().map(ClearingError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("E_CLEARING_")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
