package dev.runtimeplane.state;

import dev.runtimeplane.testkit.RedisCluster;
import dev.runtimeplane.testkit.RedisTestKit;

/**
 * The contract against a 3-master Redis Cluster started for this class. Every script touches one
 * slot (hash tags), so it runs as is; a cross-slot script would fail here with CROSSSLOT.
 */
class ClusterStateSurfaceTest extends StateSurfaceContract {

    private RedisCluster cluster;

    @Override
    protected String redisUri() {
        if (cluster == null) {
            cluster = RedisTestKit.startCluster();
        }
        return cluster.uri().replace("redis://", "redis-cluster://");
    }

    @Override
    protected void closeRedis() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
