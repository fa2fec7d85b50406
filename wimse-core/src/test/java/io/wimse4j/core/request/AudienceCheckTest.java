package io.wimse4j.core.request;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.wpt.Audiences;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The in-place target comparison answers exactly when {@code aud} is {@link Audiences#of(URI)} of the target. */
class AudienceCheckTest {
    private static final List<String> TARGETS = List.of("https://service.example.org/api/orders",
            "https://service.example.org/api/orders?x=1#f", "https://service.example.org", "https://Service.Example.org:443/a%2Fb",
            "http://10.0.0.1:8080/", "https://u@service.example.org/p");
    private static final List<String> AUDS = List.of("https://service.example.org/api/orders", "https://service.example.org/api/order",
            "https://service.example.org/api/orders/", "http://service.example.org/api/orders", "https://service.example.org",
            "https://service.example.org/", "https://Service.Example.org:443/a%2Fb", "https://service.example.org/a%2Fb",
            "http://10.0.0.1:8080/", "https://u@service.example.org/p", "https:/service.example.org/api/orders", "",
            "https://service.example.org/api/ordersX");

    @Test
    void V_6_theInPlaceComparisonIsStringEqualityWithTheSendersDefault() {
        for (String t : TARGETS) {
            URI target = URI.create(t);
            for (String aud : AUDS) {
                assertThat(AudienceCheck.isExactlyTarget(aud, target)).as("%s vs %s", aud, t)
                        .isEqualTo(aud.equals(Audiences.of(target)));
            }
        }
    }

    @Test
    void V_6_normalizedVariantsStillMatchAndOthersAreRefused() {
        AudienceCheck check = new AudienceCheck(Set.of(), true);
        URI target = URI.create("https://service.example.org/api/orders?q=1");
        assertThatCode(() -> check.check("https://service.example.org/api/orders", target)).doesNotThrowAnyException();
        assertThatCode(() -> check.check("HTTPS://SERVICE.example.org:443/api/orders", target)).doesNotThrowAnyException();
        assertRejected(() -> check.check("https://service.example.org/api/Orders", target), Reason.AUDIENCE_MISMATCH);
        AudienceCheck configuredOnly = new AudienceCheck(Set.of("https://alias.example.org/"), false);
        assertRejected(() -> configuredOnly.check("https://service.example.org/api/orders", target), Reason.AUDIENCE_MISMATCH);
        assertThatCode(() -> configuredOnly.check("https://ALIAS.example.org", target)).doesNotThrowAnyException();
    }
}
