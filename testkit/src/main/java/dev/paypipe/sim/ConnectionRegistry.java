package dev.paypipe.sim;

import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;

/**
 * The open connections by client address, so that a request handler can reset its own connection: an
 * exchange only knows its {@link EndpointDetails}, and HttpCore offers no way from there to the socket.
 */
final class ConnectionRegistry implements IOSessionListener {
    private final ConcurrentHashMap<SocketAddress, IOSession> byRemoteAddress = new ConcurrentHashMap<>();

    /**
     * Closes the exchange's connection at once with {@code SO_LINGER 0}, so the client gets a TCP RST and
     * no byte of a response; false if the connection is already gone.
     */
    boolean reset(HttpContext context) {
        EndpointDetails endpoint = HttpCoreContext.castOrCreate(context).getEndpointDetails();
        IOSession session = endpoint == null ? null : byRemoteAddress.get(endpoint.getRemoteAddress());
        if (session == null) {
            return false;
        }
        session.close(CloseMode.IMMEDIATE);
        return true;
    }

    @Override
    public void connected(IOSession session) {
        SocketAddress remote = session.getRemoteAddress();
        if (remote != null) {
            byRemoteAddress.put(remote, session);
        }
    }

    @Override
    public void disconnected(IOSession session) {
        SocketAddress remote = session.getRemoteAddress();
        if (remote != null) {
            byRemoteAddress.remove(remote, session);
        }
    }

    @Override
    public void startTls(IOSession session) {
    }

    @Override
    public void inputReady(IOSession session) {
    }

    @Override
    public void outputReady(IOSession session) {
    }

    @Override
    public void timeout(IOSession session) {
    }

    @Override
    public void exception(IOSession session, Exception ex) {
    }
}
