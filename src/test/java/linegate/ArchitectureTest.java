package linegate;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency arrows of README.md's layout, checked over the compiled main classes (bytecode, so a fully qualified
 * name counts as much as an import; a {@code static final String} constant is inlined and counts for nothing). Each
 * rule names its arrow; a failure lists every class and dependency that broke it.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("linegate");
    }

    /** {@code pkg} imports nothing of Linegate outside itself. */
    private static ArchRule selfContained(String pkg, String because) {
        DescribedPredicate<JavaClass> otherLinegatePackages = resideInAPackage("linegate..")
                .and(resideOutsideOfPackage("linegate." + pkg + ".."))
                .as("another Linegate package than linegate." + pkg);
        return noClasses().that().resideInAPackage("linegate." + pkg + "..")
                .should().dependOnClassesThat(otherLinegatePackages)
                .as("linegate." + pkg + " imports no other Linegate package")
                .because(because);
    }

    @Test
    void metaImportsNoOtherLinegatePackage() {
        selfContained("meta", "meta speaks Meta's Graph API in its own terms; the services translate to and from it")
                .check(main);
    }

    @Test
    void storeImportsNoOtherLinegatePackage() {
        selfContained("store", "the tables know nothing of the features that use them").check(main);
    }

    @Test
    void configImportsNoOtherLinegatePackage() {
        selfContained("config", "configuration is read and validated before anything else exists").check(main);
    }

    @Test
    void apiImportsNoOtherLinegatePackage() {
        selfContained("api", "status codes and ApiException are the vocabulary every feature shares").check(main);
    }

    @Test
    void httpImportsNeitherStoreConfigNorAdmin() {
        noClasses().that().resideInAPackage("linegate.http..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.store..", "linegate.config..",
                        "linegate.admin..")
                .as("linegate.http imports neither store, config nor admin")
                .because("handlers make one service call each; the services translate what http must know (a store"
                        + " failure is an ApiException 503), and the root hands http plain values")
                .check(main);
    }

    @Test
    void onlyHttpImportsTheWebFramework() {
        noClasses().that().resideOutsideOfPackages("linegate.http..", "linegate.events..", "linegate.meta..",
                        "linegate.media..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .as("only linegate.http imports Javalin, Jetty or the servlet API (and linegate.events, linegate.meta"
                        + " and linegate.media Jetty's client)")
                .because("handlers translate HTTP; services never see the web framework (style.md, habit 2)")
                .check(main);
    }

    @Test
    void eventsUsesJettysClientOnlyNeverTheServer() {
        noClasses().that().resideInAPackage("linegate.events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..",
                        "org.eclipse.jetty.server..", "org.eclipse.jetty.ee10..")
                .as("linegate.events imports Jetty's HTTP client (callbacks to a checked address), not the web framework")
                .because("the feed's endpoint is in http; events only posts callbacks")
                .check(main);
    }

    @Test
    void metaUsesJettysClientOnlyNeverTheServer() {
        noClasses().that().resideInAPackage("linegate.meta..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..",
                        "org.eclipse.jetty.server..", "org.eclipse.jetty.ee10..")
                .as("linegate.meta imports Jetty's HTTP client (the Graph connection), not the web framework")
                .because("meta is Meta's side of Linegate; requests to Linegate are http's")
                .check(main);
    }

    @Test
    void mediaUsesJettysClientOnlyNeverTheServer() {
        noClasses().that().resideInAPackage("linegate.media..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..",
                        "org.eclipse.jetty.server..", "org.eclipse.jetty.ee10..")
                .as("linegate.media imports Jetty's HTTP client (checks connect to the address they checked), not the"
                        + " web framework")
                .because("media asks media servers; requests to Linegate are http's")
                .check(main);
    }

    @Test
    void mediaDependsOnlyDownwardOnMetaAndStore() {
        noClasses().that().resideInAPackage("linegate.media..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.send..", "linegate.webhook..",
                        "linegate.http..", "linegate.admin..", "linegate.auth..", "linegate.events..",
                        "linegate.channel..", "linegate.config..", "linegate.health..", "linegate.pacing..",
                        "linegate.queue..", "linegate.api..")
                .as("linegate.media imports only linegate.meta (the kinds) and linegate.store (the line classes)")
                .because("the send pipeline asks the media check and turns its verdict into 244/245; media knows no"
                        + " status codes and no sends")
                .check(main);
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.send..", "linegate.media..")
                .should().dependOnClassesThat().resideInAPackage("linegate.media..")
                .as("only the root and linegate.send import linegate.media")
                .because("the check runs just before Meta is called, in the send pipeline")
                .check(main);
    }

    @Test
    void eventsDependsOnlyDownward() {
        noClasses().that().resideInAPackage("linegate.events..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.webhook..", "linegate.auth..",
                        "linegate.http..", "linegate.admin..")
                .as("linegate.events imports only send (MessageView), channel, meta, store and api")
                .because("events report what the features did; the features never wait on them")
                .check(main);
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.http..", "linegate.admin..", "linegate.events..",
                        "linegate.operators..")
                .should().dependOnClassesThat().resideInAPackage("linegate.events..")
                .as("only the root, http, admin and operators import linegate.events")
                .because("a send or a webhook never waits on a callback")
                .check(main);
    }

    @Test
    void onlyStoreImportsJdbiAndTheDatabaseDrivers() {
        noClasses().that().resideOutsideOfPackage("linegate.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "com.zaxxer.hikari..", "org.flywaydb..",
                        "org.sqlite..", "org.postgresql..", "java.sql..", "javax.sql..")
                .as("only linegate.store imports Jdbi, HikariCP, Flyway, JDBC or a database driver")
                .because("SQL lives in the table owners of linegate.store")
                .check(main);
    }

    @Test
    void onlyTheCompositionRootImportsHttpAndAdmin() {
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.http..", "linegate.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.http..", "linegate.admin..")
                .as("nothing but the root (Main, Linegate) imports linegate.http or linegate.admin")
                .because("http and admin are the two ways in; services never reach up into them")
                .check(main);
    }

    @Test
    void adminDoesNotImportHttp() {
        noClasses().that().resideInAPackage("linegate.admin..")
                .should().dependOnClassesThat().resideInAPackage("linegate.http..")
                .as("linegate.admin does not import linegate.http")
                .because("the operator's commands share services with the server (send.MessageView), not its web layer")
                .check(main);
    }

    @Test
    void nothingImportsTheRoot() {
        noClasses().that().resideOutsideOfPackage("linegate")
                .should().dependOnClassesThat().resideInAPackage("linegate")
                .as("nothing imports the root package (Main, Linegate)")
                .because("the root wires everything and is wired by nothing")
                .check(main);
    }

    @Test
    void onlyTheCompositionRootReadsTheConfiguration() {
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.config..")
                .should().dependOnClassesThat().resideInAPackage("linegate.config..")
                .as("only the root (Main, Linegate) imports linegate.config")
                .because("a feature gets the values it needs from the root, not the configuration; the root turns"
                        + " a feature's failure into the one-line ConfigException an operator reads")
                .check(main);
    }

    @Test
    void featuresDoNotReachSidewaysIntoEachOther() {
        noClasses().that().resideInAPackage("linegate.send..")
                .should().dependOnClassesThat().resideInAPackage("linegate.webhook..")
                .as("linegate.send does not import linegate.webhook")
                .because("features depend downward on meta and store, never sideways")
                .check(main);
        noClasses().that().resideInAPackage("linegate.webhook..")
                .should().dependOnClassesThat().resideInAPackage("linegate.send..")
                .as("linegate.webhook does not import linegate.send")
                .because("features depend downward on meta and store, never sideways")
                .check(main);
    }

    @Test
    void channelDependsOnlyDownwardOnMetaAndStore() {
        noClasses().that().resideInAPackage("linegate.channel..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.send..", "linegate.webhook..",
                        "linegate.http..", "linegate.admin..", "linegate.auth..", "linegate.api..")
                .as("linegate.channel imports only linegate.meta and linegate.store")
                .because("a channel is what differs between Meta's channels; the features ask it, it asks none of them")
                .check(main);
    }

    @Test
    void eventsDependOnlyDownwardOnSendsViewChannelMetaStoreAndApi() {
        noClasses().that().resideInAPackage("linegate.events..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.webhook..", "linegate.http..",
                        "linegate.admin..", "linegate.auth..", "linegate.config..")
                .as("linegate.events imports only send (MessageView), channel, meta, store and api")
                .because("events report what the other features did; they never reach into them")
                .check(main);
        noClasses().that().resideInAPackage("linegate.events..")
                .should().dependOnClassesThat(resideInAPackage("linegate.send..")
                        .and(DescribedPredicate.describe("not send.MessageView",
                                (JavaClass c) -> !c.getName().equals("linegate.send.MessageView"))))
                .as("linegate.events imports nothing of send but MessageView")
                .because("an event's message is MessageStatus's object; the send pipeline is not events' business")
                .check(main);
    }

    @Test
    void healthDependsOnlyDownwardOnMetaAndStore() {
        noClasses().that().resideInAPackage("linegate.health..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.send..", "linegate.webhook..",
                        "linegate.http..", "linegate.admin..", "linegate.auth..", "linegate.events..",
                        "linegate.channel..", "linegate.config..")
                .as("linegate.health imports only linegate.meta and linegate.store")
                .because("health reads Meta's answers and records them; the send pipeline reports to it, not back")
                .check(main);
    }

    @Test
    void pacingDependsOnlyDownwardOnMetaAndStore() {
        noClasses().that().resideInAPackage("linegate.pacing..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.send..", "linegate.webhook..",
                        "linegate.http..", "linegate.admin..", "linegate.auth..", "linegate.events..",
                        "linegate.channel..", "linegate.config..", "linegate.health..")
                .as("linegate.pacing imports only linegate.meta and linegate.store")
                .because("pacing reads Meta's answers and shares pauses through the store; the send pipeline asks it")
                .check(main);
    }

    @Test
    void onlyHttpAdminAndTheRootImportEvents() {
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.events..", "linegate.http..", "linegate.admin..",
                        "linegate.operators..")
                .should().dependOnClassesThat().resideInAPackage("linegate.events..")
                .as("only http, admin, operators and the root import linegate.events")
                .because("events observe the other features through the outbox; none of them calls events")
                .check(main);
    }

    @Test
    void queueDependsOnlyDownwardOnSendMetaStoreAndApi() {
        noClasses().that().resideInAPackage("linegate.queue..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.webhook..", "linegate.http..",
                        "linegate.admin..", "linegate.auth..", "linegate.events..", "linegate.config..",
                        "linegate.channel..")
                .as("linegate.queue imports only send, meta, store and api")
                .because("the workers send through the send pipeline's attempt and record through the store")
                .check(main);
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.queue..")
                .should().dependOnClassesThat().resideInAPackage("linegate.queue..")
                .as("only the root imports linegate.queue")
                .because("a send answers 207 and is done; nothing waits on the workers")
                .check(main);
    }

    @Test
    void operatorsDependOnlyDownward() {
        noClasses().that().resideInAPackage("linegate.operators..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.http..", "linegate.admin..",
                        "linegate.webhook..", "linegate.queue..", "linegate.config..", "linegate.auth..",
                        "linegate.media..", "linegate.pacing..", "linegate.health..")
                .as("linegate.operators imports only store, api, events (callback URLs) and send (MessageView)")
                .because("the operations are what both ways in share; they know neither HTTP nor picocli")
                .check(main);
        noClasses().that().resideOutsideOfPackages("linegate", "linegate.http..", "linegate.admin..",
                        "linegate.operators..")
                .should().dependOnClassesThat().resideInAPackage("linegate.operators..")
                .as("only the root, http (the admin API) and admin (the command line) import linegate.operators")
                .because("the operations are the operators' ways in; no service calls them")
                .check(main);
    }

    @Test
    void theCommandLineGoesThroughTheOperationsForWhatTheAdminApiDoesToo() {
        noClasses().that().resideInAPackage("linegate.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("linegate.store.operators..")
                .as("linegate.admin reaches admin tokens only through linegate.operators")
                .because("the command line and the admin API share one set of operations and checks")
                .check(main);
    }
}
