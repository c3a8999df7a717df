//! The user bundle: sign-in, the user's own pages, registration, and the reset flow for those
//! who reach it from sign-in.

use rekey_core::spa::Bundle;

fn main() {
    rekey_web::app::start(Bundle::User, rekey_web::app::user::App);
}
