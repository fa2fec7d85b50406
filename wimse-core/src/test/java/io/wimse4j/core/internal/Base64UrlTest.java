package io.wimse4j.core.internal;

import io.wimse4j.core.error.Reason;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** The block-wise strict decoder against the JDK's, and its refusals at every position and length. */
class Base64UrlTest {
    @Test
    void V_2_decodesWhatTheJdkEncodesAtEveryLength() throws Exception {
        Random random = new Random(9);
        for (int n = 0; n < 80; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
            assertThat(Base64Url.decode(encoded)).isEqualTo(data);
            byte[] out = new byte[n + 3];
            assertThat(Base64Url.decodeInto("x" + encoded + "y", 1, encoded.length() + 1, out, 2)).isEqualTo(n);
            assertThat(java.util.Arrays.copyOfRange(out, 2, 2 + n)).isEqualTo(data);
        }
    }

    @Test
    void V_2_refusesForeignCharactersPaddingAndTrailingBitsAnywhere() throws Exception {
        String valid = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7});
        for (int i = 0; i < valid.length(); i++) {
            for (char bad : new char[] {'+', '/', '=', ' ', '\u00e9', '.'}) {
                String s = valid.substring(0, i) + bad + valid.substring(i + 1);
                assertRejected(() -> Base64Url.decode(s), Reason.BAD_ENCODING);
            }
        }
        assertRejected(() -> Base64Url.decode("AR"), Reason.BAD_ENCODING);
        assertRejected(() -> Base64Url.decode("AQF"), Reason.BAD_ENCODING);
        assertRejected(() -> Base64Url.decode("AQIDAR"), Reason.BAD_ENCODING);
        assertRejected(() -> Base64Url.decode("AQ=="), Reason.BAD_ENCODING);
        assertThat(Base64Url.decode("AQ").length).isEqualTo(1);
        assertThat(Base64Url.decode("AQI").length).isEqualTo(2);
    }
}
