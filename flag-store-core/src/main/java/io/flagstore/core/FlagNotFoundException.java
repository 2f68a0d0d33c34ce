package io.flagstore.core;

/** An administrative operation named a flag (or segment) that does not exist. */
public class FlagNotFoundException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public FlagNotFoundException(String key) {
        super("flag '" + key + "' does not exist");
        this.key = key;
    }

    /** {@return the missing key} */
    public String key() {
        return key;
    }
}
