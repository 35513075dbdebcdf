<?php
/**
 * A tiny persistent object cache drop-in on Redis, for running the test suite the way a site
 * with Redis or Memcached runs (transients then live in the object cache, not in wp_options).
 *
 * Written for the tests: it speaks the Redis protocol (RESP) over a Unix socket itself, since
 * Debian's php-redis extension is not installed here. Loaded by tests/php/bootstrap-redis.php
 * before WordPress starts; never copied into a site.
 *
 * Behaviour follows core's WP_Object_Cache: a per-request memory layer in front of Redis,
 * global and non-persistent groups, add() only when missing (SET NX), incr()/decr() atomic on
 * the server (a Lua script: missing keys stay missing, non-numbers count from 0, never below
 * 0, TTL kept), flush_runtime() and flush_group().
 *
 * @package VoiceVisionChat\Tests
 */

// phpcs:disable -- test support mirroring core's procedural object cache API.

/**
 * Minimal Redis client: one Unix socket connection, commands as arrays, replies decoded.
 */
final class VVC_Test_Redis {

	/**
	 * Connection.
	 *
	 * @var resource
	 */
	private $socket;

	/**
	 * Connects.
	 *
	 * @param string $path Unix socket path.
	 */
	public function __construct( string $path ) {
		$socket = stream_socket_client( 'unix://' . $path, $errno, $errstr, 5 );
		if ( false === $socket ) {
			throw new RuntimeException( "Redis at $path: $errstr ($errno)" );
		}
		$this->socket = $socket;
	}

	/**
	 * Sends one command and returns its reply.
	 *
	 * @param string|int ...$args Command and arguments.
	 * @return mixed String, int, null, list or RuntimeException for an error reply.
	 */
	public function call( ...$args ) {
		$out = '*' . count( $args ) . "\r\n";
		foreach ( $args as $arg ) {
			$arg  = (string) $arg;
			$out .= '$' . strlen( $arg ) . "\r\n" . $arg . "\r\n";
		}
		fwrite( $this->socket, $out );
		return $this->reply();
	}

	/**
	 * Reads one reply.
	 *
	 * @return mixed
	 */
	private function reply() {
		$line = fgets( $this->socket );
		if ( false === $line ) {
			throw new RuntimeException( 'Redis connection lost' );
		}
		$type = $line[0];
		$data = substr( $line, 1, -2 );
		switch ( $type ) {
			case '+':
				return $data;
			case '-':
				throw new RuntimeException( 'Redis: ' . $data );
			case ':':
				return (int) $data;
			case '$':
				$length = (int) $data;
				if ( $length < 0 ) {
					return null;
				}
				$bulk = '';
				while ( strlen( $bulk ) < $length + 2 ) {
					$bulk .= fread( $this->socket, $length + 2 - strlen( $bulk ) );
				}
				return substr( $bulk, 0, $length );
			case '*':
				$count = (int) $data;
				if ( $count < 0 ) {
					return null;
				}
				$items = array();
				for ( $i = 0; $i < $count; $i++ ) {
					$items[] = $this->reply();
				}
				return $items;
		}
		throw new RuntimeException( 'Unexpected Redis reply: ' . $line );
	}
}

/**
 * The object cache: memory layer + Redis.
 */
class WP_Object_Cache {

	/**
	 * Atomic increment that keeps missing keys missing and the TTL unchanged.
	 */
	private const INCR_SCRIPT = <<<'LUA'
local v = redis.call('GET', KEYS[1])
if not v then return false end
local n = tonumber(v) or 0
n = n + tonumber(ARGV[1])
if n < 0 then n = 0 end
redis.call('SET', KEYS[1], n, 'KEEPTTL')
return n
LUA;

	/**
	 * Values read or written in this request, by group then key.
	 *
	 * @var array<string, array<string, mixed>>
	 */
	public array $cache = array();

	/**
	 * Hits and misses, as core counts them.
	 *
	 * @var int
	 */
	public int $cache_hits = 0;

	/**
	 * Misses.
	 *
	 * @var int
	 */
	public int $cache_misses = 0;

	/**
	 * Groups shared by every site of a network.
	 *
	 * @var array<string, true>
	 */
	private array $global_groups = array();

	/**
	 * Groups kept in memory only.
	 *
	 * @var array<string, true>
	 */
	private array $non_persistent_groups = array();

	/**
	 * Current site's key prefix.
	 *
	 * @var string
	 */
	private string $blog_prefix = '1:';

	/**
	 * Redis.
	 *
	 * @var VVC_Test_Redis
	 */
	private VVC_Test_Redis $redis;

	/**
	 * Connects to the socket named by VVC_TEST_REDIS_SOCKET.
	 */
	public function __construct() {
		$this->redis       = new VVC_Test_Redis( (string) getenv( 'VVC_TEST_REDIS_SOCKET' ) );
		$this->blog_prefix = ( function_exists( 'get_current_blog_id' ) ? get_current_blog_id() : 1 ) . ':';
	}

	public function add( $key, $data, $group = 'default', $expire = 0 ) {
		if ( function_exists( 'wp_suspend_cache_addition' ) && wp_suspend_cache_addition() ) {
			return false;
		}
		$group = $this->group( $group );
		$id    = (string) $key;
		if ( $this->is_local( $group ) ) {
			if ( array_key_exists( $id, $this->cache[ $group ] ?? array() ) ) {
				return false;
			}
			$this->cache[ $group ][ $id ] = $this->copy( $data );
			return true;
		}
		$args = array( 'SET', $this->redis_key( $group, $id ), $this->encode( $data ), 'NX' );
		if ( (int) $expire > 0 ) {
			array_push( $args, 'EX', (int) $expire );
		}
		$ok = 'OK' === $this->redis->call( ...$args );
		if ( $ok ) {
			$this->cache[ $group ][ $id ] = $this->copy( $data );
		}
		return $ok;
	}

	public function add_multiple( array $data, $group = '', $expire = 0 ) {
		$out = array();
		foreach ( $data as $key => $value ) {
			$out[ $key ] = $this->add( $key, $value, $group, $expire );
		}
		return $out;
	}

	public function replace( $key, $data, $group = 'default', $expire = 0 ) {
		$group = $this->group( $group );
		$found = false;
		$this->get( $key, $group, false, $found );
		return $found ? $this->set( $key, $data, $group, $expire ) : false;
	}

	public function set( $key, $data, $group = 'default', $expire = 0 ) {
		$group                                = $this->group( $group );
		$id                                   = (string) $key;
		$this->cache[ $group ][ $id ] = $this->copy( $data );
		if ( $this->is_local( $group ) ) {
			return true;
		}
		$args = array( 'SET', $this->redis_key( $group, $id ), $this->encode( $data ) );
		if ( (int) $expire > 0 ) {
			array_push( $args, 'EX', (int) $expire );
		}
		return 'OK' === $this->redis->call( ...$args );
	}

	public function set_multiple( array $data, $group = '', $expire = 0 ) {
		$out = array();
		foreach ( $data as $key => $value ) {
			$out[ $key ] = $this->set( $key, $value, $group, $expire );
		}
		return $out;
	}

	public function get( $key, $group = 'default', $force = false, &$found = null ) {
		$group = $this->group( $group );
		$id    = (string) $key;
		if ( ( ! $force || $this->is_local( $group ) ) && array_key_exists( $id, $this->cache[ $group ] ?? array() ) ) {
			$found = true;
			++$this->cache_hits;
			return $this->copy( $this->cache[ $group ][ $id ] );
		}
		if ( $this->is_local( $group ) ) {
			$found = false;
			++$this->cache_misses;
			return false;
		}
		$raw = $this->redis->call( 'GET', $this->redis_key( $group, $id ) );
		if ( ! is_string( $raw ) ) {
			$found = false;
			++$this->cache_misses;
			return false;
		}
		$found = true;
		++$this->cache_hits;
		$value                        = $this->decode( $raw );
		$this->cache[ $group ][ $id ] = $value;
		return $this->copy( $value );
	}

	public function get_multiple( $keys, $group = 'default', $force = false ) {
		$out = array();
		foreach ( $keys as $key ) {
			$out[ $key ] = $this->get( $key, $group, $force );
		}
		return $out;
	}

	public function delete( $key, $group = 'default', $deprecated = false ) {
		$group = $this->group( $group );
		$id    = (string) $key;
		$had   = array_key_exists( $id, $this->cache[ $group ] ?? array() );
		unset( $this->cache[ $group ][ $id ] );
		if ( $this->is_local( $group ) ) {
			return $had;
		}
		return $this->redis->call( 'DEL', $this->redis_key( $group, $id ) ) > 0;
	}

	public function delete_multiple( array $keys, $group = '' ) {
		$out = array();
		foreach ( $keys as $key ) {
			$out[ $key ] = $this->delete( $key, $group );
		}
		return $out;
	}

	public function incr( $key, $offset = 1, $group = 'default' ) {
		$group = $this->group( $group );
		$id    = (string) $key;
		if ( $this->is_local( $group ) ) {
			if ( ! array_key_exists( $id, $this->cache[ $group ] ?? array() ) ) {
				return false;
			}
			$value                        = is_numeric( $this->cache[ $group ][ $id ] ) ? (int) $this->cache[ $group ][ $id ] : 0;
			$this->cache[ $group ][ $id ] = max( 0, $value + (int) $offset );
			return $this->cache[ $group ][ $id ];
		}
		$result = $this->redis->call( 'EVAL', self::INCR_SCRIPT, 1, $this->redis_key( $group, $id ), (int) $offset );
		if ( ! is_int( $result ) ) {
			unset( $this->cache[ $group ][ $id ] );
			return false;
		}
		$this->cache[ $group ][ $id ] = $result;
		return $result;
	}

	public function decr( $key, $offset = 1, $group = 'default' ) {
		return $this->incr( $key, -(int) $offset, $group );
	}

	public function flush() {
		$this->cache = array();
		return 'OK' === $this->redis->call( 'FLUSHDB' );
	}

	public function flush_runtime() {
		$this->cache = array();
		return true;
	}

	public function flush_group( $group ) {
		$group = $this->group( $group );
		unset( $this->cache[ $group ] );
		if ( $this->is_local( $group ) ) {
			return true;
		}
		$keys = $this->redis->call( 'KEYS', $this->redis_key( $group, '*' ) );
		if ( is_array( $keys ) && $keys ) {
			$this->redis->call( 'DEL', ...$keys );
		}
		return true;
	}

	public function add_global_groups( $groups ) {
		foreach ( (array) $groups as $group ) {
			$this->global_groups[ $group ] = true;
		}
	}

	public function add_non_persistent_groups( $groups ) {
		foreach ( (array) $groups as $group ) {
			$this->non_persistent_groups[ $group ] = true;
		}
	}

	public function switch_to_blog( $blog_id ) {
		$this->blog_prefix = (int) $blog_id . ':';
	}

	public function close() {
		return true;
	}

	/**
	 * Redis key: test namespace, site unless global, group, key.
	 */
	private function redis_key( string $group, string $key ): string {
		$site = isset( $this->global_groups[ $group ] ) ? 'global:' : $this->blog_prefix;
		return 'vvc_test:' . $site . $group . ':' . $key;
	}

	private function group( $group ): string {
		return '' === (string) $group ? 'default' : (string) $group;
	}

	private function is_local( string $group ): bool {
		return isset( $this->non_persistent_groups[ $group ] );
	}

	/**
	 * Integers stay plain so INCRBY-style updates work; everything else is serialized.
	 */
	private function encode( $data ): string {
		return is_int( $data ) ? (string) $data : serialize( $data );
	}

	private function decode( string $raw ) {
		return preg_match( '/^-?\d+$/', $raw ) ? (int) $raw : unserialize( $raw );
	}

	private function copy( $data ) {
		return is_object( $data ) ? clone $data : $data;
	}
}

function wp_cache_init() {
	$GLOBALS['wp_object_cache'] = new WP_Object_Cache();
}

function wp_cache_add( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->add( $key, $data, $group, (int) $expire );
}

function wp_cache_add_multiple( array $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->add_multiple( $data, $group, (int) $expire );
}

function wp_cache_replace( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->replace( $key, $data, $group, (int) $expire );
}

function wp_cache_set( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, (int) $expire );
}

function wp_cache_set_multiple( array $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set_multiple( $data, $group, (int) $expire );
}

function wp_cache_get( $key, $group = '', $force = false, &$found = null ) {
	return $GLOBALS['wp_object_cache']->get( $key, $group, $force, $found );
}

function wp_cache_get_multiple( $keys, $group = '', $force = false ) {
	return $GLOBALS['wp_object_cache']->get_multiple( $keys, $group, $force );
}

function wp_cache_delete( $key, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete( $key, $group );
}

function wp_cache_delete_multiple( array $keys, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete_multiple( $keys, $group );
}

function wp_cache_incr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, $offset, $group );
}

function wp_cache_decr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->decr( $key, $offset, $group );
}

function wp_cache_flush() {
	return $GLOBALS['wp_object_cache']->flush();
}

function wp_cache_flush_runtime() {
	return $GLOBALS['wp_object_cache']->flush_runtime();
}

function wp_cache_flush_group( $group ) {
	return $GLOBALS['wp_object_cache']->flush_group( $group );
}

function wp_cache_supports( $feature ) {
	return in_array( $feature, array( 'add_multiple', 'set_multiple', 'get_multiple', 'delete_multiple', 'flush_runtime', 'flush_group' ), true );
}

function wp_cache_close() {
	return true;
}

function wp_cache_add_global_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_global_groups( $groups );
}

function wp_cache_add_non_persistent_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_non_persistent_groups( $groups );
}

function wp_cache_switch_to_blog( $blog_id ) {
	$GLOBALS['wp_object_cache']->switch_to_blog( $blog_id );
}

function wp_cache_reset() {
	_deprecated_function( __FUNCTION__, '3.5.0', 'wp_cache_switch_to_blog()' );
	return false;
}
