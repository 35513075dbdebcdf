<?php
/**
 * Which models the configured provider offers, remembered for a while.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Answers "does the provider have model X?" from GET /models, cached in a transient per base
 * URL (12 hours; a failed check is remembered for 10 minutes so a broken provider is not asked
 * on every voice question).
 */
final class Provider_Models {

	/**
	 * Transient name prefix; the base URL's hash follows.
	 */
	public const TRANSIENT_PREFIX = 'vvc_provider_models_';

	/**
	 * How long a successful list is kept.
	 */
	public const TTL = 43200; // 12 hours.

	/**
	 * How long a failed check is kept.
	 */
	public const FAILURE_TTL = 600; // 10 minutes.

	/**
	 * Settings: the base URL.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Provider client.
	 *
	 * @var OpenAI_Client
	 */
	private OpenAI_Client $client;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings      $settings Plugin settings.
	 * @param OpenAI_Client $client   Provider client.
	 */
	public function __construct( Settings $settings, OpenAI_Client $client ) {
		$this->settings = $settings;
		$this->client   = $client;
	}

	/**
	 * Whether the provider lists the model; null when its list could not be read.
	 *
	 * @param string $id Model id.
	 */
	public function has( string $id ): ?bool {
		$ids = $this->ids();
		return null === $ids ? null : in_array( $id, $ids, true );
	}

	/**
	 * The provider's model ids, or null when unknown.
	 *
	 * @return list<string>|null
	 */
	private function ids(): ?array {
		$name   = self::TRANSIENT_PREFIX . md5( (string) $this->settings->get( 'base_url' ) );
		$cached = get_transient( $name );
		if ( is_array( $cached ) && array_key_exists( 'ids', $cached ) ) {
			return is_array( $cached['ids'] ) ? array_values( array_filter( $cached['ids'], 'is_string' ) ) : null;
		}
		try {
			$ids = array();
			foreach ( $this->client->list_models() as $model ) {
				if ( isset( $model['id'] ) && is_string( $model['id'] ) ) {
					$ids[] = $model['id'];
				}
			}
			set_transient( $name, array( 'ids' => $ids ), self::TTL );
			return $ids;
		} catch ( Upstream_Error $error ) {
			set_transient( $name, array( 'ids' => null ), self::FAILURE_TTL );
			return null;
		}
	}
}
