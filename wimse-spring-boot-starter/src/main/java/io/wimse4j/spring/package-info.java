/** Spring Boot auto-configuration for wimse4j. */
package io.wimse4j.spring;
