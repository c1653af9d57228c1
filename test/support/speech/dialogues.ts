/**
 * Dialogue scripts for generated two-channel calls, split once and for all into a TUNING set (what
 * the recogniser's language model, decoder settings and acoustic adaptation may be built and tuned
 * on) and a held-out EVALUATION set (different sentences, different voices; only measured, never
 * tuned on). Numbers are spelled out so the reference text is what the synthesiser says.
 *
 * A turn is `[channel, text, gapMillis?]`: `gapMillis` is the pause after the previous turn ends
 * (negative = the turn starts before the previous one ends, an overlap); default 600 ms.
 */

export type Turn = readonly [channel: 1 | 2, text: string, gapMillis?: number];

export interface Dialogue {
  id: string;
  turns: readonly Turn[];
}

/** Voices the tuning set is spoken with (flite voices; kal is an 8 kHz diphone voice). */
export const TUNING_VOICES = ['kal16', 'rms', 'kal'] as const;
/** Voices of the held-out evaluation set: speakers that never occur in the tuning set. */
export const EVALUATION_VOICES = ['slt', 'awb'] as const;

export const TUNING_DIALOGUES: readonly Dialogue[] = [
  {
    id: 'tune-billing',
    turns: [
      [1, 'hi i am calling about my last invoice'],
      [2, 'sure i can help with that can you give me your account number'],
      [1, 'yes it is four five two one seven'],
      [2, 'thank you one moment while i pull that up', 900],
      [2, 'i see the invoice from last month is that the one', 1500],
      [1, 'yes that one the total looks higher than usual'],
      [2, 'it includes the new seats you added in the middle of the month'],
      [1, 'oh right we did add two people', -300],
      [2, 'so the charge is correct but i can split it into two payments if you like'],
      [1, 'that would be great thank you so much'],
    ],
  },
  {
    id: 'tune-demo',
    turns: [
      [2, 'good morning this is sam from the sales team do you have a minute'],
      [1, 'i have a few minutes what is this about'],
      [2, 'you signed up for a trial last week and i wanted to see how it is going'],
      [1, 'it has been fine we are still setting things up'],
      [2, 'would a short demo help your team get started'],
      [1, 'maybe what times do you have', 1200],
      [2, 'i could do thursday at two or friday morning'],
      [1, 'friday morning works better for us'],
      [2, 'great i will send you an invite for friday at ten', -250],
      [1, 'sounds good talk to you then'],
    ],
  },
  {
    id: 'tune-support-login',
    turns: [
      [1, 'hello i cannot log in to my account since this morning'],
      [2, 'i am sorry to hear that what happens when you try'],
      [1, 'it says my password is wrong but i know it is right'],
      [2, 'let me check your account status', 800],
      [2, 'it looks like the account was locked after too many attempts', 2000],
      [1, 'that makes sense i tried a few times'],
      [2, 'i have unlocked it now please try again'],
      [1, 'okay it works now thank you'],
      [2, 'you are welcome is there anything else i can do for you today'],
      [1, 'no that is all have a good day'],
    ],
  },
  {
    id: 'tune-delivery',
    turns: [
      [1, 'hi i am checking on the order we placed on monday'],
      [2, 'of course what is the order number'],
      [1, 'it is three three eight nine'],
      [2, 'thanks that order left our warehouse yesterday afternoon', 1000],
      [1, 'when should we expect it'],
      [2, 'it should arrive by wednesday at the latest'],
      [1, 'can you send me the tracking link', -200],
      [2, 'yes i will email it to you right after this call'],
      [1, 'perfect thanks for your help'],
    ],
  },
  {
    id: 'tune-renewal',
    turns: [
      [2, 'hello this is alex i am calling about your contract renewal'],
      [1, 'oh hi alex yes we got your email'],
      [2, 'the current plan ends at the end of next month'],
      [1, 'we want to renew but we need to talk about the price'],
      [2, 'i understand what number did you have in mind', 700],
      [1, 'our budget is a bit lower this year'],
      [2, 'if you sign for two years i can offer a better rate'],
      [1, 'that could work let me check with my manager', 1500],
      [2, 'of course take your time and call me back'],
      [1, 'will do thanks alex bye'],
    ],
  },
  {
    id: 'tune-appointment',
    turns: [
      [1, 'good afternoon i would like to move my appointment'],
      [2, 'no problem which day is it on right now'],
      [1, 'it is on tuesday at nine in the morning'],
      [2, 'and when would you like to come in instead'],
      [1, 'is there anything later in the week'],
      [2, 'we have an opening on thursday at three', 900],
      [1, 'thursday at three is fine'],
      [2, 'all set you will get a reminder the day before'],
      [1, 'thank you very much'],
    ],
  },
  {
    id: 'tune-integration',
    turns: [
      [1, 'hi we are trying to connect the app to our phone system'],
      [2, 'okay which phone system are you using'],
      [1, 'we use a cloud system with about twenty lines'],
      [2, 'you will need to turn on call recording in the settings first'],
      [1, 'where do i find that setting', -300],
      [2, 'open the settings page and look under calling'],
      [1, 'i see it now and then what'],
      [2, 'switch on recording and save the page', 600],
      [2, 'calls will show up on the contact record after that', 1200],
      [1, 'great that was easier than i thought'],
    ],
  },
  {
    id: 'tune-refund',
    turns: [
      [1, 'hello i was charged twice for the same order'],
      [2, 'i am sorry about that let me take a look'],
      [1, 'the two charges are on the same day'],
      [2, 'yes i can see both of them here', 1500],
      [2, 'i will refund the second charge right away'],
      [1, 'how long will that take'],
      [2, 'it usually takes three to five business days'],
      [1, 'okay thanks for fixing it so quickly'],
      [2, 'my pleasure sorry again for the trouble'],
    ],
  },
  {
    id: 'tune-onboarding',
    turns: [
      [2, 'hi this is jordan your account manager welcome aboard'],
      [1, 'thanks jordan we are excited to get going'],
      [2, 'first i would like to learn a bit about your team'],
      [1, 'we have six people in sales and two in support'],
      [2, 'and how do you track your deals today'],
      [1, 'mostly in a spreadsheet to be honest', 900],
      [2, 'that is very common we can import that for you'],
      [1, 'that would save us a lot of time', -250],
      [2, 'send me the file and i will set it up this week'],
      [1, 'i will send it over this afternoon'],
    ],
  },
  {
    id: 'tune-feedback',
    turns: [
      [2, 'hello i am calling to ask how your recent visit went'],
      [1, 'it went well the staff were very friendly'],
      [2, 'that is good to hear was there anything we could do better'],
      [1, 'the wait was a little long', 1000],
      [2, 'thank you for telling us we are adding more people at busy times'],
      [1, 'that should help'],
      [2, 'would you recommend us to a friend'],
      [1, 'yes i think i would'],
      [2, 'thank you for your time have a great evening'],
    ],
  },
];

export const EVALUATION_DIALOGUES: readonly Dialogue[] = [
  {
    id: 'eval-upgrade',
    turns: [
      [1, 'hi there i want to upgrade our plan'],
      [2, 'happy to help which plan are you on now'],
      [1, 'we are on the starter plan with five users'],
      [2, 'the next plan adds reports and more storage'],
      [1, 'how much more would that cost us each month', 1100],
      [2, 'it would be about forty dollars more per user'],
      [1, 'that seems fair can we start today', -300],
      [2, 'yes i can switch you over right now'],
      [1, 'please do and send me the receipt'],
    ],
  },
  {
    id: 'eval-outage',
    turns: [
      [1, 'hello our team cannot open the dashboard'],
      [2, 'thanks for calling we are having a problem on our side'],
      [1, 'do you know when it will be fixed'],
      [2, 'our engineers are working on it now', 800],
      [2, 'we expect it to be back within the hour', 1300],
      [1, 'will we lose any of our data'],
      [2, 'no your data is safe nothing was lost'],
      [1, 'good please let us know when it is back'],
      [2, 'we will post an update and email every customer'],
    ],
  },
  {
    id: 'eval-meeting',
    turns: [
      [2, 'hi this is taylor following up on our meeting last week'],
      [1, 'hi taylor thanks for calling back'],
      [2, 'did you have a chance to look at the proposal'],
      [1, 'we did and we have a few questions'],
      [2, 'sure go ahead', -200],
      [1, 'can we pay every quarter instead of every year'],
      [2, 'yes quarterly billing is fine for this plan', 900],
      [1, 'then i think we are ready to sign'],
      [2, 'wonderful i will send the contract over today'],
    ],
  },
  {
    id: 'eval-address',
    turns: [
      [1, 'good morning i need to change the address on my account'],
      [2, 'sure what is the new address'],
      [1, 'it is twelve oak street apartment four'],
      [2, 'thank you and is the phone number still the same'],
      [1, 'yes the phone number did not change', 700],
      [2, 'okay the address is updated in our system'],
      [1, 'will my next package go to the new place'],
      [2, 'yes every order from now on will ship there'],
      [1, 'thank you have a nice day'],
    ],
  },
  {
    id: 'eval-cancel',
    turns: [
      [1, 'hi i am thinking about canceling my subscription'],
      [2, 'i am sorry to hear that may i ask why'],
      [1, 'we are not using it as much as we expected'],
      [2, 'i understand would a smaller plan be a better fit', 900],
      [1, 'what would the smaller plan include'],
      [2, 'it keeps the main features for half the price'],
      [1, 'okay let us try that for a few months', -250],
      [2, 'done the change starts with your next bill'],
      [1, 'thanks for working with me'],
    ],
  },
  {
    id: 'eval-training',
    turns: [
      [2, 'hello i am calling to set up the training for your new staff'],
      [1, 'great we have four new people starting next week'],
      [2, 'would you like the training in person or online'],
      [1, 'online is easier for us'],
      [2, 'we can run two short sessions on monday and wednesday', 1000],
      [1, 'how long is each session'],
      [2, 'each one takes about an hour'],
      [1, 'perfect please send the links to my email'],
      [2, 'i will send them this afternoon'],
    ],
  },
];
