package io.wimse4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse server} runs a real HTTPS Identity Server; {@code wimse admin ...} drives it over HTTPS. */
class ServerAdminCommandTest {
    @TempDir
    Path tmp;
    RunningServer server;
    String url;
    Path state;

    @BeforeEach
    void startServer() throws Exception {
        state = tmp.resolve("state");
        server = RunningServer.startedOn(state);
        url = server.url;
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
        assertThat(server.exit.get()).isEqualTo(WimseCli.OK);
    }

    Cli.Result admin(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = url;
        all[args.length + 2] = "--admin-token-file";
        all[args.length + 3] = state.resolve("admin-token").toString();
        all[args.length + 4] = "--ca";
        all[args.length + 5] = state.resolve("ca.pem").toString();
        String[] cmd = new String[all.length + 1];
        cmd[0] = "admin";
        System.arraycopy(all, 0, cmd, 1, all.length);
        return Cli.run(cmd);
    }

    @Test
    void serverPrintsUrlCaAndTokenFileButNeverTheToken() throws Exception {
        String out = server.out.toString();
        assertThat(out).contains("admin token file: " + state.resolve("admin-token"))
                .contains("CA certificate:   " + state.resolve("ca.pem"))
                .contains(Files.readString(state.resolve("ca.pem")))
                .contains("base URI:         https://localhost:");
        assertThat(out).doesNotContain(Files.readString(state.resolve("admin-token")).trim());
    }

    @Test
    void registerMintJoinTokenRotateAndListKeys() {
        Cli.Result reg = admin("register", "--id", "wimse://example.org/svc", "--attestation", "join_token,wit", "--wit-ttl", "900");
        assertThat(reg.exit()).as(reg.err()).isEqualTo(WimseCli.OK);
        assertThat(reg.json().get("wit_ttl_seconds").intValue()).isEqualTo(900);

        Cli.Result token = admin("join-token", "--id", "wimse://example.org/svc", "--ttl", "120");
        assertThat(token.exit()).as(token.err()).isEqualTo(WimseCli.OK);
        assertThat(token.json().get("token").textValue()).hasSizeGreaterThanOrEqualTo(22);

        Cli.Result list = admin("registrations");
        assertThat(list.json().get("registrations").get(0).get("id").textValue()).isEqualTo("wimse://example.org/svc");

        Cli.Result rotate = admin("rotate");
        assertThat(rotate.exit()).as(rotate.err()).isEqualTo(WimseCli.OK);
        String kid = rotate.json().get("kid").textValue();
        Cli.Result keys = admin("keys");
        assertThat(keys.json().get("keys")).hasSize(2);
        assertThat(keys.json().get("keys").get(1).get("kid").textValue()).isEqualTo(kid);
        assertThat(keys.json().get("keys").get(1).get("state").textValue()).isEqualTo("next");

        Cli.Result dereg = admin("deregister", "--id", "wimse://example.org/svc");
        assertThat(dereg.exit()).isEqualTo(WimseCli.OK);
        assertThat(admin("registrations").json().get("registrations")).isEmpty();
    }

    @Test
    void WIC_3_registerWithDnsNamesAndRequestAWicCarryingThem() throws Exception {
        Cli.Result reg = admin("register", "--id", "wimse://example.org/web", "--attestation", "join_token",
                "--dns-name", "web.example.org", "--dns-name", "web.internal");
        assertThat(reg.exit()).as(reg.err()).isEqualTo(WimseCli.OK);
        assertThat(reg.json().get("dns_names").toString()).isEqualTo("[\"web.example.org\",\"web.internal\"]");
        assertThat(admin("registrations").json().get("registrations").get(0).get("dns_names")).hasSize(2);

        Cli.Result token = admin("join-token", "--id", "wimse://example.org/web");
        Files.writeString(tmp.resolve("join-token"), token.json().get("token").textValue());
        Cli.Result wic = Cli.run("wic", "request", "--server", url, "--server-ca", state.resolve("ca.pem").toString(),
                "--id", "wimse://example.org/web", "--join-token", "@" + tmp.resolve("join-token"), "--dns", "web.internal",
                "--out-cert", tmp.resolve("wic.pem").toString(), "--out-key", tmp.resolve("wic-key.pem").toString());
        assertThat(wic.exit()).as(wic.err()).isEqualTo(WimseCli.OK);
        assertThat(io.wimse4j.x509.Pem.readCertificates(tmp.resolve("wic.pem")).get(0).getSubjectAlternativeNames())
                .containsExactly(java.util.List.of(6, "wimse://example.org/web"), java.util.List.of(2, "web.example.org"),
                        java.util.List.of(2, "web.internal"));

        Cli.Result bad = admin("register", "--id", "wimse://example.org/bad", "--attestation", "join_token",
                "--dns-name", "*.example.org");
        assertThat(bad.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(bad.err()).contains("HTTP 400 malformed-request: 'dns_names': DNS name *.example.org may hold only");
    }

    @Test
    void refusalsExitWithRejectedAndTheProblemType() {
        Cli.Result r = admin("join-token", "--id", "wimse://example.org/nobody");
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).contains("HTTP 404 registration-not-found: ");
    }

    @Test
    void wrongAdminTokenIsRefusedWith401() throws Exception {
        Path wrong = tmp.resolve("wrong-token");
        Files.writeString(wrong, "not-the-token\n");
        Cli.Result r = Cli.run("admin", "keys", "--server", url, "--admin-token-file", wrong.toString(),
                "--ca", state.resolve("ca.pem").toString());
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).contains("HTTP 401 admin-unauthorized: ");
    }

    @Test
    void httpsWithoutCaIsAUsageError() {
        Cli.Result r = Cli.run("admin", "keys", "--server", url, "--admin-token-file", state.resolve("admin-token").toString());
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--ca is required");
    }
}
