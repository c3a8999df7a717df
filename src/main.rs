//! The user bundle: sign-in, the user's own pages, registration, and the reset flow for those
//! who reach it from sign-in.

fn main() {
    rekey_web::app::start(rekey_web::app::user::App);
}
