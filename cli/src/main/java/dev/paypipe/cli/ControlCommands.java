package dev.paypipe.cli;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ControlPublisher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

/** What pause, resume and breaker share: the default operator name and a publisher on an ensured topic. */
final class ControlCommands {
    private ControlCommands() {
    }

    /** {@code user@host}: who an operator command is recorded as when {@code --by} is not given. */
    static String defaultOperator() {
        String user = System.getProperty("user.name", "operator");
        try {
            return user + "@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return user;
        }
    }

    static ControlPublisher publisher(KafkaSettings kafka) {
        ControlPublisher.ensureTopic(kafka);
        return new ControlPublisher(kafka, Clock.systemUTC());
    }
}
