//! Access for everyone who needs it: a referente (or the admin) invites a comune's
//! employees, who choose their password from a single-use link; anyone who forgot theirs
//! asks for a new link. Links travel through the outbox, in the transaction that issues
//! them.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::auth::password;
use crate::domain::access::{Actor, Operation};
use crate::domain::account::{
    InvitationReport, Invitee, LinkSecret, TokenPurpose, invalid_link, password_link,
};
use crate::domain::comune::IstatCode;
use crate::domain::notification::{Message, account_invitation, password_reset};
use crate::domain::user::{Affiliation, Email, NewUser, Role, User, check_password_strength};
use crate::store;

/// How soon after one reset link another may be sent to the same account: a flood of
/// requests for someone's address sends them one message, not a hundred.
const RESET_INTERVAL: chrono::Duration = chrono::Duration::minutes(2);

/// Invites the employees of `comune` to sign in — every active one, or those in
/// `employee_ids`: an employee with no account gets one (role employee, no password yet),
/// one whose account was never used gets a fresh link, one already signing in is left
/// alone, one without an e-mail is listed for the referente to complete. The accounts,
/// the links and the messages are written in one transaction.
///
/// # Errors
/// `Forbidden` unless admin or the comune's referente; `NotFound` for an unknown comune;
/// `Conflict` when another invitation for the same person commits first.
pub async fn invite(
    db: &DatabaseConnection,
    actor: &Actor,
    comune: &IstatCode,
    employee_ids: Option<&[i64]>,
    public_url: &str,
) -> Result<InvitationReport, AppError> {
    actor.authorize(Operation::ManageEmployeesOf(comune))?;
    let txn = store::begin_write(db).await?;
    let comune_name = store::comuni::find(&txn, comune).await?.name;
    let invitees = store::employees::invitees(&txn, comune, employee_ids).await?;
    let now = store::now();
    let emails: Vec<Option<Email>> = invitees
        .iter()
        .map(|i| {
            i.email
                .as_deref()
                .and_then(|e| Email::parse("email", e).ok())
        })
        .collect();
    let mut accounts =
        store::users::find_by_emails(&txn, &emails.iter().flatten().cloned().collect::<Vec<_>>())
            .await?;
    let mut report = InvitationReport::default();
    let mut messages = Vec::new();
    for (invitee, email) in invitees.into_iter().zip(emails) {
        let Some(email) = email else {
            report.without_email.push(invitee);
            continue;
        };
        let user = match accounts.remove(email.as_str()) {
            Some(user) if user.has_signed_in() || !is_employee_of(&user, comune) => {
                report.already_active.push(invitee);
                continue;
            }
            Some(user) => user,
            None => {
                store::users::create(&txn, new_employee_account(&invitee, email, comune)).await?
            }
        };
        let secret = new_secret();
        store::account_tokens::issue(
            &txn,
            user.id,
            TokenPurpose::Invitation,
            secret.digest(),
            now,
        )
        .await?;
        messages.push(account_invitation(
            user.id,
            user.email.as_str(),
            &invitee.full_name,
            &comune_name,
            &password_link(public_url, &secret),
            TokenPurpose::Invitation.expires_at(now),
        ));
        store::employees::log_access(
            &txn,
            actor.user_id,
            "invite",
            Some(invitee.employee_id),
            Some(comune.as_str()),
            "invito ad accedere".into(),
        )
        .await?;
        report.invited.push(invitee);
    }
    store::outbox::enqueue(&txn, &messages).await?;
    txn.commit().await?;
    Ok(report)
}

/// Sends a link to choose a new password to the active account of `email`, at most once
/// every two minutes. Says nothing of whether the account exists: the caller answers the
/// same either way. Returns whether a message was queued (for waking the sender only).
///
/// # Errors
/// Database errors only.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    email: &Email,
    public_url: &str,
) -> Result<bool, AppError> {
    // Read first: an unknown or closed address (most of a flood) takes no write lock.
    match store::users::find_by_email(db, email).await? {
        Some(user) if user.active => {}
        _ => return Ok(false),
    }
    let txn = store::begin_write(db).await?;
    let Some(user) = store::users::find_by_email(&txn, email).await? else {
        return Ok(false);
    };
    let now = store::now();
    let last =
        store::account_tokens::last_issued(&txn, user.id, TokenPurpose::PasswordReset).await?;
    if !user.active || last.is_some_and(|at| now - at < RESET_INTERVAL) {
        return Ok(false);
    }
    let secret = new_secret();
    store::account_tokens::issue(
        &txn,
        user.id,
        TokenPurpose::PasswordReset,
        secret.digest(),
        now,
    )
    .await?;
    let message: Message = password_reset(
        user.id,
        user.email.as_str(),
        &password_link(public_url, &secret),
        TokenPurpose::PasswordReset.expires_at(now),
    );
    store::outbox::enqueue(&txn, &[message]).await?;
    txn.commit().await?;
    Ok(true)
}

/// Sets the password of the account a link opens, and uses the link (and every other
/// link of the account) up. Tokens issued before stop working. The link is looked up
/// before the costly hash, so a flood of made-up links costs no hashing.
///
/// # Errors
/// `Invalid` on `password` (too short or long) or on `token` (unknown, used, expired, or
/// its account closed — one answer for all); `Busy` when every hashing thread is taken.
pub async fn choose_password(
    db: &DatabaseConnection,
    token: &str,
    new_password: String,
) -> Result<(), AppError> {
    let secret = LinkSecret::parse(token);
    let strength = check_password_strength(&new_password);
    let secret = match (secret, strength) {
        (Ok(secret), Ok(())) => secret,
        (secret, strength) => {
            let errors = [secret.err(), strength.err()].into_iter().flatten();
            return Err(AppError::Invalid(errors.collect()));
        }
    };
    let digest = secret.digest();
    if store::account_tokens::holder(db, &digest, store::now())
        .await?
        .is_none()
    {
        return Err(invalid_link().into());
    }
    let hash = password::hash(new_password)
        .await
        .map_err(AppError::Internal)?;
    let txn = store::begin_write(db).await?;
    let Some(user_id) = store::account_tokens::redeem(&txn, &digest, store::now()).await? else {
        return Err(invalid_link().into());
    };
    let user = store::users::find(&txn, user_id).await?;
    if !user.active {
        return Err(invalid_link().into());
    }
    store::users::set_password(&txn, user_id, hash).await?;
    txn.commit().await?;
    Ok(())
}

/// Only an employee's own account of this comune is (re)invited: an address that belongs
/// to a referente or a provider's staff is theirs to manage.
fn is_employee_of(user: &User, comune: &IstatCode) -> bool {
    user.role == Role::Employee && user.affiliation.comune() == Some(comune)
}

fn new_employee_account(invitee: &Invitee, email: Email, comune: &IstatCode) -> NewUser {
    NewUser {
        email,
        full_name: invitee.full_name.clone(),
        role: Role::Employee,
        affiliation: Affiliation::Comune(comune.clone()),
        password_hash: password::NO_PASSWORD.to_owned(),
    }
}

fn new_secret() -> LinkSecret {
    LinkSecret::from_random_bytes(rand::random())
}
