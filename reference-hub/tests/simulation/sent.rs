//! What the simulated clients and operator send: each command described in person numbers (for the
//! model) next to the exact signed message (for the engine), so it can be sent again byte for byte.

use std::collections::HashMap;

use geo_protocol::{
    ClearingConsent, Identity, Message, ParticipantRegister, PaymentAbort, PaymentCommit,
    PaymentRequest, Pid, SignedMessage, TrustLineClose, TrustLineSet, TxId,
};
use reference_hub::engine::ledger::{Ledger, ParticipantStatus};
use reference_hub::engine::Command;

use crate::model::Who;

/// The simulated people: keys, PIDs, and the way back from a PID to a person number.
pub struct People {
    /// Keys by person number.
    pub ids: Vec<Identity>,
    /// PIDs by person number.
    pub pids: Vec<Pid>,
    /// Person number by PID.
    pub index: HashMap<Pid, Who>,
}

impl People {
    /// `n` people with fixed keys.
    pub fn new(n: usize) -> Self {
        let ids: Vec<Identity> = (0..n)
            .map(|i| Identity::from_seed(&[i as u8 + 1; 32]))
            .collect();
        let pids: Vec<Pid> = ids.iter().map(Identity::pid).collect();
        let index = pids
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, p)| (p, i))
            .collect();
        People { ids, pids, index }
    }

    /// The person a PID names (every PID in the journal is one of ours).
    pub fn who(&self, pid: &Pid) -> Who {
        self.index[pid]
    }
}

/// The id of simulated payment number `n`.
pub fn tx_id(n: u32) -> TxId {
    TxId::parse(&format!("00000000-0000-4000-8000-{n:012}")).expect("valid tx id")
}

/// One command as sent.
#[derive(Debug, Clone)]
pub enum Sent {
    /// `who` registers.
    Register {
        who: Who,
        nonce: u64,
        msg: SignedMessage<ParticipantRegister>,
    },
    /// `creditor` sets its line to `debtor`; `limit` is `None` when the text has too many decimals.
    SetLine {
        creditor: Who,
        debtor: Who,
        limit: Option<u64>,
        auto_clearing: bool,
        unknown_equivalent: bool,
        nonce: u64,
        msg: SignedMessage<TrustLineSet>,
    },
    /// `creditor` closes its line to `debtor`.
    CloseLine {
        creditor: Who,
        debtor: Who,
        nonce: u64,
        msg: SignedMessage<TrustLineClose>,
    },
    /// `payer` pays `payee` (held for `hold` seconds); `amount` is `None` when too precise.
    Pay {
        payer: Who,
        payee: Who,
        tx: u32,
        amount: Option<u64>,
        hold: Option<u32>,
        msg: SignedMessage<PaymentRequest>,
    },
    /// `payer` commits its held payment `tx`.
    Commit {
        payer: Who,
        tx: u32,
        nonce: u64,
        msg: SignedMessage<PaymentCommit>,
    },
    /// `payer` aborts its held payment `tx`.
    Abort {
        payer: Who,
        tx: u32,
        nonce: u64,
        msg: SignedMessage<PaymentAbort>,
    },
    /// `who` answers proposal `id`.
    Consent {
        who: Who,
        id: TxId,
        accept: bool,
        nonce: u64,
        msg: SignedMessage<ClearingConsent>,
    },
    /// The operator suspends or reactivates `who`.
    SetStatus { who: Who, active: bool },
    /// The writer's timer: holds and proposals whose time is up end.
    ExpireHolds,
    /// The clearing schedule applies a set-off `(debtor, creditor, minor units)`.
    ApplyClearing { set_offs: Vec<(Who, Who, u64)> },
    /// The clearing schedule proposes a set-off that may need consent.
    Propose {
        set_offs: Vec<(Who, Who, u64)>,
        ttl: i64,
    },
}

/// The same signed bytes, decoded again (what a resend delivers).
fn again<P: Message>(msg: &SignedMessage<P>) -> SignedMessage<P> {
    SignedMessage::from_json(&msg.to_json()).expect("a signed message decodes from its own bytes")
}

impl Sent {
    /// True for what a participant signed (and may resend).
    pub fn signed(&self) -> bool {
        !matches!(
            self,
            Sent::SetStatus { .. }
                | Sent::ExpireHolds
                | Sent::ApplyClearing { .. }
                | Sent::Propose { .. }
        )
    }

    /// The engine command, with set-offs in the ledger's own indices.
    pub fn command(&self, people: &People, ledger: &Ledger) -> Command {
        let idx = |w: &Who| ledger.by_pid[&people.pids[*w]];
        let offs = |s: &[(Who, Who, u64)]| s.iter().map(|(d, c, a)| (idx(d), idx(c), *a)).collect();
        match self {
            Sent::Register { msg, .. } => Command::Register(again(msg)),
            Sent::SetLine { msg, .. } => Command::SetTrustLine(again(msg)),
            Sent::CloseLine { msg, .. } => Command::CloseTrustLine(again(msg)),
            Sent::Pay { msg, .. } => Command::Pay(again(msg)),
            Sent::Commit { msg, .. } => Command::CommitHold(again(msg)),
            Sent::Abort { msg, .. } => Command::AbortHold(again(msg)),
            Sent::Consent { msg, .. } => Command::Consent(again(msg)),
            Sent::SetStatus { who, active } => Command::SetParticipantStatus {
                pid: people.pids[*who].clone(),
                status: if *active {
                    ParticipantStatus::Active
                } else {
                    ParticipantStatus::Suspended
                },
                reason: "simulation".into(),
            },
            Sent::ExpireHolds => Command::ExpireHolds,
            Sent::ApplyClearing { set_offs } => Command::ApplyClearing {
                equivalent: crate::equivalent(),
                set_offs: offs(set_offs),
            },
            Sent::Propose { set_offs, ttl } => Command::ProposeClearing {
                equivalent: crate::equivalent(),
                set_offs: offs(set_offs),
                ttl_seconds: *ttl,
            },
        }
    }
}
