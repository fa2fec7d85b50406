package io.wimse4j.apicheck;

import io.wimse4j.apicheck.ThirdPartyLeaks.Leak;
import io.wimse4j.apicheck.fixture.CleanFixture;
import io.wimse4j.apicheck.fixture.ExposesHiddenBase;
import io.wimse4j.apicheck.fixture.GenericLeakFixture;
import io.wimse4j.apicheck.fixture.JsonLeakFixture;
import io.wimse4j.apicheck.fixture.internal.InternalLeakFixture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checker of {@link PublicApiTest} catches what it must, on fixtures of this module's own test
 * sources run through the same function ({@link ThirdPartyLeaks#check}).
 */
class ThirdPartyLeaksTest {
    private static final String FIXTURE = "io.wimse4j.apicheck.fixture.";

    private static List<String> check(Class<?>... classes) {
        return ThirdPartyLeaks.check("fixture", List.of(classes)).stream().map(Leak::toString).toList();
    }

    @Test
    void aPublicMethodReturningAJacksonTypeIsALeak() {
        assertThat(check(JsonLeakFixture.class))
                .containsExactly(FIXTURE + "JsonLeakFixture#tree(): com.fasterxml.jackson.databind.JsonNode");
    }

    @Test
    void thirdPartyTypesAsTypeArgumentsAtAnyDepthAreLeaks() throws Exception {
        Class<?> nested = Class.forName(FIXTURE + "GenericLeakFixture$Nested");
        assertThat(check(GenericLeakFixture.class, nested)).containsExactly(
                FIXTURE + "GenericLeakFixture#<class>: com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture#<init>(java.util.Set): com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture#accept(java.util.function.Supplier): com.nimbusds.jose.JOSEException",
                FIXTURE + "GenericLeakFixture#accept(java.util.function.Supplier): com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture#bounded(): com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture#get(): com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture#key(java.lang.String): com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture#mapper: com.fasterxml.jackson.databind.ObjectMapper",
                FIXTURE + "GenericLeakFixture#nested(): com.nimbusds.jose.jwk.JWK",
                FIXTURE + "GenericLeakFixture$Nested#protectedKey(): com.nimbusds.jose.jwk.JWK");
    }

    @Test
    void membersAndSupertypesInheritedFromAHiddenClassAreLeaksOfThePublicClass() {
        assertThat(check(ExposesHiddenBase.class)).containsExactly(
                FIXTURE + "ExposesHiddenBase#<class>: com.fasterxml.jackson.databind.JsonNode",
                FIXTURE + "ExposesHiddenBase#apply(com.fasterxml.jackson.databind.JsonNode): com.fasterxml.jackson.databind.JsonNode",
                FIXTURE + "ExposesHiddenBase#inherited(): com.fasterxml.jackson.databind.JsonNode");
    }

    @Test
    void privateAndPackagePrivateMembersAndClassesAndInternalPackagesAreNotLeaks() throws Exception {
        assertThat(check(CleanFixture.class,
                Class.forName(FIXTURE + "CleanFixture$Hidden"),
                Class.forName(FIXTURE + "PackagePrivateLeak"),
                Class.forName(FIXTURE + "HiddenBase"),
                InternalLeakFixture.class)).isEmpty();
    }

    @Test
    void anAllowlistLineRoundTrips() {
        Leak leak = ThirdPartyLeaks.check("fixture", List.of(JsonLeakFixture.class)).first();
        assertThat(leak.allowlistLine())
                .isEqualTo("fixture " + FIXTURE + "JsonLeakFixture#tree() com.fasterxml.jackson.databind.JsonNode");
        assertThat(Leak.parse(leak.allowlistLine())).isEqualTo(leak);
        assertThatThrownBy(() -> Leak.parse("fixture JsonLeakFixture.tree() JsonNode"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
