package io.wimse4j.sample.checkout;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The checkout page is public in the sample: only its outgoing calls carry WIMSE proofs. */
@Configuration(proxyBeanMethods = false)
class CheckoutSecurity {
    @Bean
    SecurityFilterChain checkoutChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(r -> r.anyRequest().permitAll()).csrf(c -> c.disable()).build();
    }
}
