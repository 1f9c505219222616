package dev.paypipe.cli.dev;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions of a worker group's intake topic a live process owns, read from the group coordinator.
 * A worker's client id is {@code paypipe-worker-<pid>}, so a member whose process is dead (SIGKILLed, its
 * session not yet expired) is told apart from a live one.
 */
final class GroupOwnership implements AutoCloseable {
    private static final String CLIENT_PREFIX = "paypipe-worker-";

    private final Admin admin;
    private final String groupId;
    private final String topic;

    GroupOwnership(Map<String, Object> clientProperties, String groupId, String topic) {
        this.admin = Admin.create(clientProperties);
        this.groupId = groupId;
        this.topic = topic;
    }

    /** Partition numbers of {@code topic} assigned to a member whose pid is in {@code livePids}. */
    Set<Integer> ownedBy(Set<Long> livePids) throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all()
                .get(5, TimeUnit.SECONDS).get(groupId);
        Set<Integer> owned = new HashSet<>();
        for (MemberDescription member : group.members()) {
            if (!isLive(member.clientId(), livePids)) {
                continue;
            }
            for (TopicPartition tp : member.assignment().topicPartitions()) {
                if (tp.topic().equals(topic)) {
                    owned.add(tp.partition());
                }
            }
        }
        return owned;
    }

    private static boolean isLive(String clientId, Set<Long> livePids) {
        if (clientId == null || !clientId.startsWith(CLIENT_PREFIX)) {
            return false;
        }
        try {
            return livePids.contains(Long.parseLong(clientId.substring(CLIENT_PREFIX.length())));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
