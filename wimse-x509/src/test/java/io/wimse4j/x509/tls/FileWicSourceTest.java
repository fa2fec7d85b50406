package io.wimse4j.x509.tls;

import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A WIC read from files and reloaded when they change (MT-7), never a broken or expired pair (KEY-3). */
class FileWicSourceTest {
    static final HeldCertificate CA = HeldCertificate.builder().certificateAuthority(0).build();

    @TempDir
    Path dir;

    static HeldCertificate leaf() {
        return HeldCertificate.builder().uri("wimse://example.org/svc/a").usages(WicUsage.CLIENT).signedBy(CA).build();
    }

    /** Writes {@code cert}'s chain and {@code keyOf}'s key, with modification times {@code tick} seconds apart. */
    void write(HeldCertificate cert, HeldCertificate keyOf, int tick) throws IOException {
        Path chain = dir.resolve("wic.pem");
        Path key = dir.resolve("wic.key");
        Files.deleteIfExists(key);
        Pem.writeCertificates(chain, cert.chain());
        Pem.writePrivateKey(key, keyOf.keyPair().getPrivate());
        FileTime t = FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(tick));
        Files.setLastModifiedTime(chain, t);
        Files.setLastModifiedTime(key, t);
    }

    @Test
    void MT_7_aRenewedPairWrittenToTheFilesIsServedWithoutARestart() throws Exception {
        HeldCertificate first = leaf();
        write(first, first, 0);
        WicKeyManager keys = new WicKeyManager(Clock.systemUTC());
        try (FileWicSource source = FileWicSource.start(dir.resolve("wic.pem"), dir.resolve("wic.key"), keys, null, Clock.systemUTC())) {
            assertThat(keys.currentLeaf()).isEqualTo(first.certificate());
            assertThat(source.refresh()).as("unchanged files: nothing to do").isFalse();
            HeldCertificate second = leaf();
            write(second, second, 1);
            assertThat(source.refresh()).isTrue();
            assertThat(keys.currentLeaf()).isEqualTo(second.certificate());
            String alias = keys.chooseClientAlias(new String[] {"EC"}, null, null);
            assertThat(keys.getPrivateKey(alias)).isEqualTo(second.keyPair().getPrivate());
        }
    }

    @Test
    void KEY_3_aKeyThatIsNotTheLeafsOrAnExpiredCertificateIsNotTaken() throws Exception {
        HeldCertificate first = leaf();
        write(first, first, 0);
        WicKeyManager keys = new WicKeyManager(Clock.systemUTC());
        try (FileWicSource source = FileWicSource.start(dir.resolve("wic.pem"), dir.resolve("wic.key"), keys, Duration.ofSeconds(60),
                Clock.systemUTC())) {
            write(leaf(), leaf(), 1); // a certificate and somebody else's key
            assertThat(source.refresh()).isFalse();
            assertThat(keys.currentLeaf()).isEqualTo(first.certificate());
            HeldCertificate expired = HeldCertificate.builder().uri("wimse://example.org/svc/a").usages(WicUsage.CLIENT).signedBy(CA)
                    .validityInterval(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-02T00:00:00Z")).build();
            write(expired, expired, 2);
            assertThat(source.refresh()).isFalse();
            assertThat(keys.currentLeaf()).isEqualTo(first.certificate());
        }
        write(leaf(), leaf(), 3);
        assertThatThrownBy(() -> FileWicSource.start(dir.resolve("wic.pem"), dir.resolve("wic.key"), new WicKeyManager(Clock.systemUTC()),
                null, Clock.systemUTC())).isInstanceOf(IOException.class).hasMessageContaining("is not the key of the certificate");
        assertThatThrownBy(() -> FileWicSource.start(dir.resolve("wic.pem"), dir.resolve("wic.key"), keys, Duration.ofMillis(10),
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
