//! The user bundle: sign-in, the user's own pages, registration and the public reset flow.

fn main() {
    rekey_web::app::start(rekey_web::app::user::App);
}
