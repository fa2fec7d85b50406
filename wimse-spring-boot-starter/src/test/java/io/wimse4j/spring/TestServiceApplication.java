package io.wimse4j.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A service protected by the starter: the caller's name from its Authentication, a @PreAuthorize method. */
@SpringBootApplication
@EnableMethodSecurity
public class TestServiceApplication {
    @RestController
    static class Hello {
        @GetMapping("/hello")
        @PreAuthorize("hasAuthority('wimse:trust-domain:example.org')")
        String hello(Authentication authentication) {
            return "hello " + authentication.getName() + " " + authentication.getAuthorities().stream()
                    .map(Object::toString).sorted().toList();
        }

        @PostMapping("/echo")
        String echo(Authentication authentication, @RequestBody String body) {
            return authentication.getName() + ":" + body;
        }

        @GetMapping("/admin/only")
        String admin(Authentication authentication) {
            return "admin " + authentication.getName();
        }

        @GetMapping("/public/ping")
        String ping() {
            return "pong";
        }
    }
}
