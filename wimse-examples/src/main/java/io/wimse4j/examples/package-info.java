/**
 * The README's Java examples, one class per role, as code the build compiles and the tests run.
 * Each README {@code java} block is the region between {@code // tag::<name>[]} and
 * {@code // end::<name>[]} of one of these classes ({@code ReadmeExamplesTest} keeps the two equal).
 * Not part of the API: the module is neither installed nor deployed.
 */
package io.wimse4j.examples;
