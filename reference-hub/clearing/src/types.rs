//! Input and output types: a debt between two participants and the set-off computed for it.

/// One debt of a single equivalent: `debtor` owes `creditor` `amount` minor units.
///
/// Participants are dense `u32` indices assigned by the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Debt {
    /// The participant who owes.
    pub debtor: u32,
    /// The participant who is owed.
    pub creditor: u32,
    /// How much is owed, in minor units.
    pub amount: u64,
}

impl Debt {
    /// Creates a debt of `amount` from `debtor` to `creditor`.
    pub fn new(debtor: u32, creditor: u32, amount: u64) -> Self {
        Self {
            debtor,
            creditor,
            amount,
        }
    }
}

/// A set-off: how much of each input debt is cancelled, and the total cancelled.
///
/// Applying it leaves every participant's net position unchanged and no debt larger.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Clearing {
    /// `set_off[i]` is cancelled from debt `i` of the input; `0 <= set_off[i] <= amount`.
    pub set_off: Vec<u64>,
    /// Sum of all set-offs (u128 because it can exceed `u64::MAX`).
    pub total: u128,
}

impl Clearing {
    /// The debts left after applying the set-off, in input order (zero amounts kept).
    ///
    /// Panics if `debts` is not the input this clearing was computed for (run [`crate::verify`] first
    /// on untrusted clearings).
    pub fn remaining(&self, debts: &[Debt]) -> Vec<Debt> {
        assert_eq!(
            debts.len(),
            self.set_off.len(),
            "clearing and debts differ in length"
        );
        debts
            .iter()
            .zip(&self.set_off)
            .map(|(d, &c)| Debt::new(d.debtor, d.creditor, d.amount - c))
            .collect()
    }
}
