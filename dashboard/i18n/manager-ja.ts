/** Japanese words of Sign in with Slack and manager reviews (merged into ja.ts). */
export const managerJa = {
  signInWithSlack: 'Slack でサインイン',
  signInOr: 'または API キーで（システム・運用向け）',
  signInSlackLead:
    'Slack のアカウントでサインインすると、自分の記録と（マネージャーなら）チームの記録を見られます。',
  slackSignedInAs: (name: string) => `${name}（Slack）でサインイン中`,
  slackSignInStale:
    'Slack でのサインインの有効期限が切れたか、別のタブで始めたものです。もう一度お試しください。',
  slackSignInReplayed: 'このサインインはすでに使われています。もう一度 Slack でサインインしてください。',
  slackSignInDenied: 'Slack でのサインインが取り消されました。',
  slackSignInFailed: 'Slack でのサインインを確認できませんでした。もう一度お試しください。',
  slackWrongTeam: 'このワークスペースのアカウントではサインインできません。',
  slackSignInOff: 'Slack でのサインインは設定されていません（SLACK_CLIENT_ID）。',
  slackSignInContinue: 'サインインしました。移動しない場合はこちら',

  reviewsTitle: 'マネージャーのレビュー',
  reviewFormTitle: 'このセッションをレビューする',
  reviewFormLead: '上書きするスキルだけ点数を選んでください（選ばないスキルは AI の点数のまま）。',
  reviewKeep: 'AI のまま',
  reviewComment: 'コメント（担当者に届きます）',
  reviewSubmit: 'レビューを送る',
  reviewSaved: 'レビューを記録しました。担当者に Slack で知らせます。',
  reviewNeedsScore: '少なくとも 1 つのスキルに点数を付けてください。',
  reviewBy: (reviewer: string, at: string) => `${reviewer} のレビュー（${at}）`,
  reviewReplaced: '（新しいレビューで置き換え済み）',
  colAiScore: 'AI',
  colManagerScore: 'マネージャー',
  colEffectiveScore: '採用スコア',
  noReviews: 'まだレビューはありません。',

  calibrationTitle: 'マネージャーと AI の一致度',
  calibrationLead:
    'レビュー済みセッションで、マネージャーの点数と AI の点数がどれだけ近いか（平均絶対差、±1 以内の割合）。',
  calibrationNone: 'まだレビュー済みのセッションはありません。',
  colCalibrationSkill: 'スキル',
  colMeanAbsDiff: '平均絶対差',
  colWithinOne: '±1 以内',
  colComparisons: '比較数',
  calibrationOverall: '全体',
  calibrationCounts: (reviews: number, sessions: number) =>
    `レビュー ${reviews} 件 / セッション ${sessions} 件`,
};
