//! The reset bundle: the public reset flow alone, served to whoever opens `/reset`.

fn main() {
    rekey_web::app::start(rekey_web::app::reset::App);
}
