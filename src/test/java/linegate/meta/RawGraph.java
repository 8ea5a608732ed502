package linegate.meta;

import linegate.testing.MetaSamples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meta's Send API as raw bytes on a socket, for what a well-behaved HTTP server never does on purpose: close a kept-alive
 * connection right after its answer, or read a request whole and close without answering. Records the body of every
 * request it read to the end, so a test can tell whether one message reached "Meta" twice.
 */
final class RawGraph implements AutoCloseable {
    /** What the stand-in does with each request it has read. */
    enum Behaviour {
        /** Answers Meta's success as HTTP/1.1 without {@code Connection: close}, then closes the connection. */
        ANSWER_THEN_CLOSE,
        /** Reads the request whole, then closes the connection without a byte of answer. */
        CLOSE_WITHOUT_ANSWER,
        /**
         * Answers the first request of each connection and keeps it open; reads the second whole, then closes it
         * without answering: a request that reached the server on a reused connection and was never answered.
         */
        ANSWER_ONE_THEN_READ_AND_CLOSE,
        /** Closes each connection as soon as it is accepted, before reading anything: no TLS handshake can finish. */
        CLOSE_AT_ONCE
    }

    private static final byte[] SUCCESS = MetaSamples.read("ig-send-success.doc.json").getBytes(StandardCharsets.UTF_8);
    private final Behaviour behaviour;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    final List<String> bodiesRead = new CopyOnWriteArrayList<>();
    final AtomicInteger connectionsAccepted = new AtomicInteger();
    /** Connections closed after an answer: the server's FIN is on its way once this counts it. */
    final AtomicInteger closedAfterAnswer = new AtomicInteger();

    RawGraph(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The same port named with https, for a client that will try a TLS handshake with it. */
    URI httpsUrl() {
        return URI.create("https://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connectionsAccepted.incrementAndGet();
                connections.submit(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        boolean answered = false;
        try (socket) {
            if (behaviour == Behaviour.CLOSE_AT_ONCE) {
                return;
            }
            InputStream in = socket.getInputStream();
            for (int request = 1; readRequest(in); request++) {
                if (behaviour == Behaviour.CLOSE_WITHOUT_ANSWER
                        || (behaviour == Behaviour.ANSWER_ONE_THEN_READ_AND_CLOSE && request == 2)) {
                    return;
                }
                answer(socket.getOutputStream());
                if (behaviour == Behaviour.ANSWER_THEN_CLOSE) {
                    answered = true;
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to record
        } finally {
            if (answered) {
                closedAfterAnswer.incrementAndGet();
            }
        }
    }

    /** Reads one request whole and records its body; false when the connection ended first. */
    private boolean readRequest(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return false;
        }
        int length = contentLength(head);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return false;
        }
        bodiesRead.add(new String(body, StandardCharsets.UTF_8));
        return true;
    }

    private static void answer(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + SUCCESS.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(SUCCESS);
        out.flush();
    }

    /** The request line and headers up to the empty line, or null when the stream ended first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
