package io.wimse4j.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, for tests. It can be
 * stopped and started again on the same port. {@code redis-server} must be on the {@code PATH}:
 * when it is not, tests fail under CI (environment variable {@code CI} set) and are skipped otherwise.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Path executable;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(Path executable, int port, List<String> extraArgs) {
        this.executable = executable;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free loopback port. */
    public static RedisServerProcess start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** Starts a server on a free loopback port with more command-line options. */
    public static RedisServerProcess start(List<String> extraArgs) throws IOException, InterruptedException {
        RedisServerProcess p = new RedisServerProcess(findExecutable("redis-server"), freePort(), extraArgs);
        p.startAgain();
        return p;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** (Re)starts the server on the same port and waits until it answers PING. */
    public void startAgain() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("redis-server is already running on port " + port);
        }
        List<String> command = new java.util.ArrayList<>(List.of(executable.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + process.exitValue()
                        + " while starting on port " + port);
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new IllegalStateException("redis-server did not answer PING on port " + port
                        + " within " + START_TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** True when the server answers {@code PING} with {@code +PONG} (or {@code -NOAUTH}: it requires a password). */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
            // a server started with --requirepass answers "-NOAUTH Authentication required."
            return "+PONG\r\n".equals(reply) || "-NOAUTH".equals(reply);
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Path findExecutable(String name) {
        return lookupExecutable(name).orElseThrow(() -> io.wimse4j.testkit.Prerequisite.missing(name
                + " was not found on the PATH. The wimse-redis tests run against a real Redis server: install it"
                + " (e.g. apt-get install redis-server redis-tools)."));
    }

    /** {@code name} on the {@code PATH}, if it is there. */
    static java.util.Optional<Path> lookupExecutable(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return java.util.Optional.of(candidate);
                }
            }
        }
        return java.util.Optional.empty();
    }
}
