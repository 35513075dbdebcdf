/**
 * A live region that holds at most one notice. The region exists before the notice does,
 * so screen readers announce the notice when it appears; the Notice's own speak() call is
 * switched off to avoid announcing it twice.
 */
import { Notice } from '@wordpress/components';

export interface NoticeMessage {
	status: 'success' | 'error' | 'warning' | 'info';
	message: string;
	/** Extra detail under the message, e.g. the error code. */
	detail?: string;
}

interface NoticeRegionProps {
	role: 'alert' | 'status';
	notice: NoticeMessage | null;
	onDismiss?: () => void;
	className?: string;
}

export function NoticeRegion( {
	role,
	notice,
	onDismiss,
	className,
}: NoticeRegionProps ) {
	return (
		<div role={ role } aria-atomic="true" className={ className }>
			{ notice && (
				<Notice
					status={ notice.status }
					spokenMessage={ null }
					isDismissible={ Boolean( onDismiss ) }
					onRemove={ onDismiss }
				>
					<p>{ notice.message }</p>
					{ notice.detail && (
						<p className="vvc-settings__notice-detail">
							{ notice.detail }
						</p>
					) }
				</Notice>
			) }
		</div>
	);
}
