<?php
/**
 * Class autoloader: VoiceVisionChat\Foo\Bar_Baz lives in includes/Foo/Bar_Baz.php.
 *
 * Hand-written rather than Composer's so the plugin works from a plain zip.
 *
 * @package VoiceVisionChat
 */

defined( 'ABSPATH' ) || exit;

spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'VoiceVisionChat\\';
		if ( ! str_starts_with( $class_name, $prefix ) ) {
			return;
		}
		$relative = str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) );
		$file     = __DIR__ . '/' . $relative . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);
