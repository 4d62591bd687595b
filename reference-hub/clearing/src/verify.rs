//! The exact checker: a clearing is acceptable only if it changes no net position.

use std::collections::BTreeMap;

use crate::error::ClearingError;
use crate::types::{Clearing, Debt};

/// Checks a clearing against its debts exactly; returns the first violation found.
///
/// Checks, in order: no self-debt, one set-off per debt, `0 <= set_off <= amount` on every debt,
/// the stated total, and for every participant (ascending id) set-off as creditor equals set-off
/// as debtor, i.e. the net position is unchanged.
pub fn verify(debts: &[Debt], clearing: &Clearing) -> Result<(), ClearingError> {
    for (index, d) in debts.iter().enumerate() {
        if d.debtor == d.creditor {
            return Err(ClearingError::SelfDebt {
                index: Some(index),
                participant: d.debtor,
            });
        }
    }
    if clearing.set_off.len() != debts.len() {
        return Err(ClearingError::LengthMismatch {
            expected: debts.len(),
            actual: clearing.set_off.len(),
        });
    }
    let mut total: u128 = 0;
    // (set off as creditor, set off as debtor) per participant.
    let mut flows: BTreeMap<u32, (u128, u128)> = BTreeMap::new();
    for (index, (d, &c)) in debts.iter().zip(&clearing.set_off).enumerate() {
        if c > d.amount {
            return Err(ClearingError::SetOffExceedsDebt {
                index,
                set_off: c,
                amount: d.amount,
            });
        }
        if c == 0 {
            continue;
        }
        total += u128::from(c);
        flows.entry(d.creditor).or_default().0 += u128::from(c);
        flows.entry(d.debtor).or_default().1 += u128::from(c);
    }
    if total != clearing.total {
        return Err(ClearingError::TotalMismatch {
            claimed: clearing.total,
            actual: total,
        });
    }
    for (&participant, &(as_creditor, as_debtor)) in &flows {
        if as_creditor != as_debtor {
            return Err(ClearingError::NetPositionChanged {
                participant,
                as_creditor,
                as_debtor,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triangle() -> Vec<Debt> {
        vec![Debt::new(0, 1, 10), Debt::new(1, 2, 7), Debt::new(2, 0, 12)]
    }

    fn ok() -> Clearing {
        Clearing {
            set_off: vec![7, 7, 7],
            total: 21,
        }
    }

    #[test]
    fn accepts_a_valid_clearing() {
        assert_eq!(verify(&triangle(), &ok()), Ok(()));
    }

    #[test]
    fn catches_a_set_off_above_the_debt() {
        let c = Clearing {
            set_off: vec![8, 8, 8],
            total: 24,
        };
        let err = verify(&triangle(), &c).unwrap_err();
        assert_eq!(
            err,
            ClearingError::SetOffExceedsDebt {
                index: 1,
                set_off: 8,
                amount: 7
            }
        );
        assert_eq!(err.code(), "E_CLEARING_SET_OFF_EXCEEDS_DEBT");
    }

    #[test]
    fn catches_a_changed_net_position() {
        let c = Clearing {
            set_off: vec![7, 6, 7],
            total: 20,
        };
        let err = verify(&triangle(), &c).unwrap_err();
        // Participant 1 receives 7 as creditor of debt 0 but gives only 6 as debtor of debt 1.
        assert_eq!(
            err,
            ClearingError::NetPositionChanged {
                participant: 1,
                as_creditor: 7,
                as_debtor: 6
            }
        );
    }

    #[test]
    fn catches_a_wrong_total_and_wrong_length() {
        let c = Clearing {
            set_off: vec![7, 7, 7],
            total: 20,
        };
        assert_eq!(
            verify(&triangle(), &c).unwrap_err(),
            ClearingError::TotalMismatch {
                claimed: 20,
                actual: 21
            }
        );
        let c = Clearing {
            set_off: vec![7, 7],
            total: 14,
        };
        assert_eq!(
            verify(&triangle(), &c).unwrap_err().code(),
            "E_CLEARING_LENGTH_MISMATCH"
        );
    }

    #[test]
    fn catches_self_debt() {
        let debts = vec![Debt::new(3, 3, 1)];
        let c = Clearing {
            set_off: vec![1],
            total: 1,
        };
        assert_eq!(
            verify(&debts, &c).unwrap_err().code(),
            "E_CLEARING_SELF_DEBT"
        );
    }
}
