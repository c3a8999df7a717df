//! The admin bundle: the admin centre, loaded only by people who open it.

fn main() {
    rekey_web::i18n::install_admin_rules();
    rekey_web::app::start(rekey_web::app::admin::App);
}
