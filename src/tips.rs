//! The explanations shown on hover (`title`) for the terms of the cards and tables.

pub const TIP_TB_MONTH: &str =
    "TB·month: the average amount stored over the month, in TB (2^40 bytes, as the monitor counts). Storage is paid per TB·month.";
pub const TIP_HELD: &str = "Held back: the part of the earnings a young node does not receive yet (75 % in months 1–3, 50 % in 4–6, 25 % in 7–9). Storj pays part of it back after month 15.";
pub const TIP_REPAIR: &str =
    "Repair: data this node sent so that the network could rebuild pieces lost elsewhere (GET_REPAIR), paid per TB.";
pub const TIP_AUDIT: &str = "Audit: data this node sent when a satellite checked that it still holds its pieces (GET_AUDIT), paid per TB.";
pub const TIP_EGRESS: &str = "Egress: data downloaded from this node by customers (GET), paid per TB.";
pub const TIP_PAID: &str = "Paid: gross earnings minus the held-back amount, what the operator receives.";
pub const TIP_ESTIMATE: &str = "Month-end estimate: the month-to-date net earnings extrapolated by the elapsed share of the month.";
