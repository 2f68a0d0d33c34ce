package io.flagstore.cli;

import java.io.Console;

/** Asks the operator a yes/no question; injected so tests can answer. */
interface Prompt {
    /** Whether someone can answer, i.e. there is a terminal. */
    boolean interactive();

    /** Asks {@code question}; true only for an explicit yes. */
    boolean confirm(String question);

    /** The process's terminal, or a prompt that can never be answered when there is none. */
    static Prompt console() {
        Console console = System.console();
        return new Prompt() {
            @Override
            public boolean interactive() {
                return console != null;
            }

            @Override
            public boolean confirm(String question) {
                String answer = console == null ? null : console.readLine("%s [y/N] ", question);
                return answer != null
                        && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
            }
        };
    }
}
