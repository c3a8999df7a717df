//! Outgoing messages: a durable outbox in the database and the worker that delivers it.

pub mod email;
pub mod outbox;
