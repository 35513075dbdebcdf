<?php
/**
 * PHPUnit bootstrap with a persistent object cache: starts a private Redis server for this
 * run, loads the test drop-in (Support/redis-object-cache.php) the way WordPress loads
 * wp-content/object-cache.php, then boots WordPress as bootstrap.php does.
 *
 *     VVC_TEST_WP=7.1 vendor/bin/phpunit --bootstrap tests/php/bootstrap-redis.php
 *
 * The server listens on a Unix socket in a temporary folder (no TCP port, nothing shared
 * with other runs or with the dev site), keeps nothing on disk and is stopped by its process
 * id when the run ends.
 *
 * @package VoiceVisionChat\Tests
 */

$vvc_redis_dir = sys_get_temp_dir() . '/vvc-redis-' . getmypid();
if ( ! is_dir( $vvc_redis_dir ) && ! mkdir( $vvc_redis_dir, 0700 ) ) {
	fwrite( STDERR, "Cannot create $vvc_redis_dir\n" );
	exit( 1 );
}
$vvc_redis_socket = $vvc_redis_dir . '/redis.sock';
$vvc_redis_pid    = $vvc_redis_dir . '/redis.pid';
passthru(
	implode(
		' ',
		array(
			'redis-server',
			'--port 0',
			'--unixsocket ' . escapeshellarg( $vvc_redis_socket ),
			'--unixsocketperm 700',
			'--dir ' . escapeshellarg( $vvc_redis_dir ),
			'--pidfile ' . escapeshellarg( $vvc_redis_pid ),
			"--save ''",
			'--appendonly no',
			'--daemonize yes',
			'--loglevel warning',
			'--logfile ' . escapeshellarg( $vvc_redis_dir . '/redis.log' ),
		)
	),
	$vvc_status
);
for ( $vvc_i = 0; $vvc_i < 100 && ! file_exists( $vvc_redis_socket ); $vvc_i++ ) {
	usleep( 50000 );
}
if ( 0 !== $vvc_status || ! file_exists( $vvc_redis_socket ) ) {
	fwrite( STDERR, "redis-server did not start (is it installed? apt-get install redis-server)\n" );
	exit( 1 );
}
putenv( 'VVC_TEST_REDIS_SOCKET=' . $vvc_redis_socket );

register_shutdown_function(
	static function () use ( $vvc_redis_pid, $vvc_redis_dir, $vvc_redis_socket ): void {
		$pid = is_readable( $vvc_redis_pid ) ? (int) file_get_contents( $vvc_redis_pid ) : 0;
		if ( $pid > 0 ) {
			posix_kill( $pid, 15 ); // SIGTERM: Redis exits cleanly.
			for ( $i = 0; $i < 100 && file_exists( $vvc_redis_socket ); $i++ ) {
				usleep( 20000 );
			}
		}
		foreach ( (array) glob( $vvc_redis_dir . '/*' ) as $file ) {
			unlink( (string) $file );
		}
		rmdir( $vvc_redis_dir );
	}
);

// What wp_start_object_cache() does with a drop-in: its functions replace core's cache.php.
require __DIR__ . '/Support/redis-object-cache.php';
$GLOBALS['_wp_using_ext_object_cache'] = true;

require __DIR__ . '/bootstrap.php';
