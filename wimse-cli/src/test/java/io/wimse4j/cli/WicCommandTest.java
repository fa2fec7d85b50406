package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.WicUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse wic inspect} and {@code wimse wic verify}: chains decoded without trust, then validated with WicValidator. */
class WicCommandTest {
    static final String ID = "wimse://example.org/svc/a";
    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
    static final HeldCertificate LEAF = HeldCertificate.builder().uri(ID).dnsName("a.example.org")
            .usages(WicUsage.CLIENT).serialNumber(java.math.BigInteger.valueOf(0xabcdef)).signedBy(CA).build();

    @TempDir
    Path dir;

    private String write(String name, String pem) throws Exception {
        return Files.writeString(dir.resolve(name), pem).toString();
    }

    private String ca() throws Exception {
        return "example.org=" + write("ca.pem", CA.certificatePem());
    }

    @Test
    void WIC_1_inspectPrintsTheChainWithoutTrustingIt() throws Exception {
        Cli.Result r = Cli.run("wic", "inspect", write("chain.pem", LEAF.chainPem()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("NOT VERIFIED: decoded only")
                .contains("Certificate 1 of 2 (leaf)", "Certificate 2 of 2",
                        "  Subject:      CN=wimse4j test ", "  Issuer:       CN=example.org CA", "  Serial:       abcdef", "  Key:          EC P-256 (256 bits)",
                        "  CA:           no", "  URI SANs:     " + ID, "  DNS SANs:     a.example.org", "  EKUs:         clientAuth",
                        "  Not after:    " + LEAF.certificate().getNotAfter().toInstant(), "within its validity",
                        "  CA:           yes (path length 0)")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void WIC_2_inspectShowsWhatAValidatorWouldRefuseAndReadsStandardInput() {
        HeldCertificate twoUris = HeldCertificate.builder().uri(ID).uri("wimse://example.org/svc/b").keyType(KeyType.ED25519)
                .validityInterval(Instant.ofEpochSecond(1_000), Instant.ofEpochSecond(2_000)).build();
        Cli.Result r = Cli.runWithStdin(twoUris.certificatePem(), "wic", "inspect", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("  URI SANs:     " + ID + ", wimse://example.org/svc/b", "  Key:          Ed25519",
                "  EKUs:         (none)", "  Validity:     EXPIRED as of");
    }

    @Test
    void inspectOfSomethingThatIsNotPemIsAUsageError() throws Exception {
        Cli.Result r = Cli.run("wic", "inspect", write("x.pem", "not a certificate"));
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).startsWith("wimse wic inspect: certificate chain '");
    }

    @Test
    void MT_1_verifyPrintsTheIdentifierOfAValidChain() throws Exception {
        Cli.Result r = Cli.run("wic", "verify", "--trust", ca(), "--chain", write("chain.pem", LEAF.chainPem()));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo(ID + Cli.NL);
        JsonNode j = Cli.run("wic", "verify", "--trust", ca(), "--chain", dir.resolve("chain.pem").toString(), "--json").json();
        assertThat(j.get("valid").asBoolean()).isTrue();
        assertThat(j.get("workload").asText()).isEqualTo(ID);
        assertThat(j.get("trust_domain").asText()).isEqualTo("example.org");
        assertThat(j.get("dns_names").get(0).asText()).isEqualTo("a.example.org");
        assertThat(j.get("not_after").asLong()).isEqualTo(LEAF.certificate().getNotAfter().toInstant().getEpochSecond());
    }

    @Test
    void MT_3_aClientCertificateIsNoServerCertificate() throws Exception {
        Cli.Result r = Cli.run("wic", "verify", "--trust", ca(), "--chain", write("chain.pem", LEAF.chainPem()), "--role", "server");
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.out()).isEqualTo("INVALID_CERTIFICATE: the leaf has no extended key usage serverAuth for its role (MT-3)" + Cli.NL);
    }

    @Test
    void MT_1_aChainOfAnotherCaIsUnknownKey() throws Exception {
        HeldCertificate other = HeldCertificate.builder().certificateAuthority(0).build();
        HeldCertificate leaf = HeldCertificate.builder().uri(ID).usages(WicUsage.CLIENT).signedBy(other).build();
        JsonNode j = Cli.run("wic", "verify", "--trust", ca(), "--chain", write("chain.pem", leaf.chainPem()), "--json").json();
        assertThat(j.get("valid").asBoolean()).isFalse();
        assertThat(j.get("reason").asText()).isEqualTo("UNKNOWN_KEY");
        assertThat(j.get("code").asText()).isEqualTo(Reason.UNKNOWN_KEY.code());
        assertThat(j.get("detail").asText()).isEqualTo("the chain does not lead to the anchors of trust domain example.org (MT-1)");
    }

    @Test
    void ID_3_aChainOfAnUntrustedTrustDomainIsRefused() throws Exception {
        HeldCertificate leaf = HeldCertificate.builder().uri("wimse://other.example/svc").usages(WicUsage.CLIENT).signedBy(CA).build();
        Cli.Result r = Cli.run("wic", "verify", "--trust", ca(), "--chain", write("chain.pem", leaf.chainPem()));
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.out()).startsWith("UNTRUSTED_TRUST_DOMAIN: ");
    }

    @Test
    void SEC_2_nowAfterTheLeafsValidityIsExpired() throws Exception {
        long later = LEAF.certificate().getNotAfter().toInstant().getEpochSecond() + 1;
        Cli.Result r = Cli.run("wic", "verify", "--trust", ca(), "--chain", write("chain.pem", LEAF.chainPem()),
                "--now", Long.toString(later));
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.out()).startsWith("EXPIRED: ");
    }

    @Test
    void verifyUsageErrorsExit2() throws Exception {
        String chain = write("chain.pem", LEAF.chainPem());
        Cli.Result r = Cli.run("wic", "verify", "--chain", chain);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("Missing required option: '--trust=<trust-domain>=<ca.pem>'");
        r = Cli.run("wic", "verify", "--trust", ca(), "--chain", chain, "--role", "peer");
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--role must be 'client' or 'server', got 'peer'");
        r = Cli.run("wic", "verify", "--trust", "example.org", "--chain", chain);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--trust must be <trust-domain>=<ca.pem>, got 'example.org'");
        r = Cli.run("wic", "verify", "--trust", "example.org=" + chain.replace("chain", "missing"), "--chain", chain);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("cannot read CA bundle");
        r = Cli.run("wic");
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("missing subcommand: inspect, verify or request");
    }
}
