package io.flagstore.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A minimal application for the starter's Spring Boot tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {}
