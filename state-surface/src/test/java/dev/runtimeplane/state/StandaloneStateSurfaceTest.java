package dev.runtimeplane.state;

import dev.runtimeplane.testkit.RedisTestKit;

/** The contract against the shared standalone Redis of the test run. */
class StandaloneStateSurfaceTest extends StateSurfaceContract {

    @Override
    protected String redisUri() {
        return RedisTestKit.shared().uri();
    }
}
