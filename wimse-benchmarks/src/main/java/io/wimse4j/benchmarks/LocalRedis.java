package io.wimse4j.benchmarks;

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
 * A {@code redis-server} from the {@code PATH} on a free loopback port, without persistence, for
 * {@link RedisReplayBenchmark}; fails with a clear message when there is none.
 */
final class LocalRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server and waits (at most 10 s) until it answers {@code PING}. */
    static LocalRedis start() throws IOException, InterruptedException {
        Path exe = findOnPath("redis-server");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of(exe.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LocalRedis redis = new LocalRedis(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!redis.ping()) {
            if (!p.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + p.exitValue() + " on port " + port);
            }
            if (System.nanoTime() - deadline > 0) {
                redis.close();
                throw new IllegalStateException("redis-server did not answer PING within 10 s on port " + port);
            }
            Thread.sleep(20);
        }
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Empties the server ({@code FLUSHALL}). */
    void flushAll() throws IOException {
        String reply = command("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IOException("FLUSHALL answered " + reply);
        }
    }

    /** {@code used_memory} from {@code INFO memory}, in bytes. */
    long usedMemory() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write("INFO memory\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String header = readLine(in); // $<length>
            if (!header.startsWith("$")) {
                throw new IOException("INFO answered " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
            for (String line : new String(body, StandardCharsets.US_ASCII).split("\r\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            throw new IOException("INFO memory without used_memory");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    private boolean ping() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** One inline command on a new connection: the first line of the reply. */
    private String command(String inline) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine(s.getInputStream());
        }
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException(name + " is not on the PATH: RedisReplayBenchmark needs a local Redis server"
                + " (e.g. apt-get install redis-server; .ci/run installs it); leave RedisReplayBenchmark out of the run"
                + " (a JMH regexp without it) otherwise");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
