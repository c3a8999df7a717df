//! A directory that goes away and comes back: a TCP relay on a loopback port of its own in front
//! of a real directory server. Stopping it closes the port and cuts every open connection, as a
//! stopped server or a cut network would; starting it again listens on the same port. Samba
//! runs once per machine on the standard ports, so the outage is made here, in front of it,
//! rather than by stopping the server every other test uses.

use std::net::SocketAddr;
use std::sync::Mutex;

use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

pub struct Outage {
    pub addr: SocketAddr,
    target: SocketAddr,
    relay: Mutex<Option<JoinHandle<()>>>,
}

impl Outage {
    /// Relays to `target` until [`Outage::stop`].
    pub fn start(target: SocketAddr) -> Outage {
        let addr = listener(SocketAddr::from(([127, 0, 0, 1], 0)))
            .local_addr()
            .expect("relay address");
        let outage = Outage {
            addr,
            target,
            relay: Mutex::new(None),
        };
        outage.restart();
        outage
    }

    /// The directory is back, on the same address.
    pub fn restart(&self) {
        let socket = listener(self.addr);
        let target = self.target;
        let relay = tokio::spawn(async move {
            let mut open = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = socket.accept().await {
                open.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        *self.relay.lock().expect("lock") = Some(relay);
    }

    /// The directory is gone: the port refuses connections and open ones are cut.
    pub fn stop(&self) {
        if let Some(relay) = self.relay.lock().expect("lock").take() {
            // Dropping the task drops its listener and, with the JoinSet, every connection.
            relay.abort();
        }
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        self.stop();
    }
}

fn listener(addr: SocketAddr) -> tokio::net::TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    // The same port again at once, whatever connections are still closing on it.
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket.bind(addr).expect("bind the relay");
    socket.listen(64).expect("listen")
}
