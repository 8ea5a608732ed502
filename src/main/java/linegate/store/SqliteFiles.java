package linegate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The embedded database's files hold every message, so only Linegate's user may read them: the folder is created
 * 0700, and the database file and its {@code -wal} and {@code -shm} companions are 0600, as {@code master.key} is.
 * <p>
 * The JVM cannot set its umask, and SQLite creates {@code -wal} and {@code -shm} when it first needs them, with the
 * mode of the database file (SQLite's unix VFS copies it, whatever the umask). So the files are created here, empty,
 * with mode 0600 set explicitly before SQLite opens them (an empty file is a new database, an empty WAL an empty log),
 * and any that exist already with wider modes (a database written by an older Linegate) are narrowed to 0600.
 */
final class SqliteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteFiles.class);
    static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    SqliteFiles(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** The database file, its write-ahead log and its shared-memory index. */
    List<Path> files() {
        return List.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"));
    }

    /** Before SQLite opens the database: the folder (0700 when created here) and the three files, each 0600. */
    void prepare() {
        Path folder = file.getParent();
        if (!Files.isDirectory(folder)) {
            createFolder(folder);
        } else if (!Files.isWritable(folder)) {
            throw notWritable(folder, "folder");
        } else {
            warnIfOthersCanEnter(folder);
        }
        for (Path f : files()) {
            if (Files.exists(f) && !Files.isWritable(f)) {
                throw notWritable(f, "file");
            }
            create(f);
        }
    }

    /** After SQLite opened the database: narrows any file it created meanwhile. */
    void narrow() {
        for (Path f : files()) {
            if (Files.exists(f)) {
                narrow(f);
            }
        }
    }

    private void createFolder(Path folder) {
        try {
            Files.createDirectories(folder.getParent());
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            Files.setPosixFilePermissions(folder, FOLDER_MODE); // exactly 0700, whatever the umask
        } catch (FileAlreadyExistsException race) {
            // another process made it first
        } catch (UnsupportedOperationException notPosix) {
            // Windows: permissions follow the parent folder's ACL
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the database folder " + folder + " (" + e.getMessage()
                    + "): make its parent folder writable by this user, or point LINEGATE_DB_URL at a writable folder", e);
        }
    }

    private static void create(Path f) {
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(FILE_MODE));
        } catch (FileAlreadyExistsException exists) {
            // SQLite's or an earlier start's: narrowed below
        } catch (UnsupportedOperationException notPosix) {
            return;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the database file " + f + " (" + e.getMessage()
                    + "): make the folder " + f.getParent() + " writable by this user, or point LINEGATE_DB_URL at a"
                    + " writable folder", e);
        }
        narrow(f);
    }

    private static void narrow(Path f) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
            if (!mode.equals(FILE_MODE)) {
                Files.setPosixFilePermissions(f, FILE_MODE);
                LOG.info("database file {} was mode {}, now rw------- (only this user may read messages)", f,
                        PosixFilePermissions.toString(mode));
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: permissions follow the folder's ACL
        } catch (java.nio.file.NoSuchFileException gone) {
            // SQLite removed its -wal or -shm after the last connection closed
        } catch (IOException e) {
            LOG.warn("cannot set database file {} to mode rw-------: {}", f, e.getMessage());
        }
    }

    private static void warnIfOthersCanEnter(Path folder) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder);
            if (mode.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                LOG.warn("the database folder {} is mode {}: other users can list it (its database files are rw-------);"
                        + " 'chmod 700 {}' closes it", folder, PosixFilePermissions.toString(mode), folder);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // nothing to say
        }
    }

    private static StoreUnavailableException notWritable(Path p, String what) {
        return new StoreUnavailableException("the database " + what + " " + p + " is not writable by this user ("
                + System.getProperty("user.name") + "), and SQLite must write the database, its -wal and its -shm"
                + " files there: make it writable (chown or chmod it, or mount it read-write), or point LINEGATE_DB_URL"
                + " at a writable folder", null);
    }
}
