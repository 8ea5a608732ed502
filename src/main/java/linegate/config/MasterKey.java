package linegate.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The 256-bit key that encrypts page access tokens at rest. Given as base64 in {@code LINEGATE_MASTER_KEY}; in embedded
 * mode, when unset, generated once into {@code master.key} beside the database file with mode 0600.
 */
public final class MasterKey {
    public static final String FILE_NAME = "master.key";
    private final byte[] key;

    private MasterKey(byte[] key) {
        if (key.length != 32) {
            throw new ConfigException("LINEGATE_MASTER_KEY must be 32 bytes in base64 (it decodes to " + key.length
                    + " bytes): generate one with 'openssl rand -base64 32'");
        }
        this.key = key.clone();
    }

    public static MasterKey fromBase64(String text) {
        try {
            return new MasterKey(Base64.getDecoder().decode(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("LINEGATE_MASTER_KEY is not valid base64: generate one with 'openssl rand -base64 32'");
        }
    }

    /**
     * Reads the key file in {@code folder}, creating it first if it does not exist. Creation is atomic (a hard link of a
     * fully written temporary file), so two processes started at once agree on one key.
     */
    public static MasterKey loadOrCreate(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                createPrivateFolder(folder);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(folder, "master", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh) + "\n");
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException lostTheRace) {
                    // another process created it first: use theirs
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            String stored = Files.readString(file);
            try {
                return fromBase64(stored);
            } catch (ConfigException notAKey) {
                throw new ConfigException("the master key file " + file + " does not hold a key (32 bytes in base64):"
                        + " restore it from a backup, or set LINEGATE_MASTER_KEY to the key it held");
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the master key file " + file + " (" + e.getMessage()
                    + "): make its folder writable, or set LINEGATE_MASTER_KEY");
        }
    }

    /**
     * The folder also holds the embedded database, so when it is created here it is 0700 (set explicitly: the umask
     * cannot widen it then), as the database store creates it.
     */
    private static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Files.createDirectories(folder.toAbsolutePath().getParent());
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (FileAlreadyExistsException lostTheRace) {
            // another process made it first
        }
    }

    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "MasterKey[REDACTED]";
    }
}
